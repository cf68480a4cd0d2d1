import { Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import '@fastify/multipart';
import { DomainError, FieldError, Forbidden, ValidationFailed } from '@cc/common';
import { COMPACT_CSV_COLUMNS, CompactImporter, ImportedCompact } from '@cc/registry';
import { Renderer } from '../renderer';
import { MultipartForm, PageRoles, WebRequest } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { setFlash } from './admin-page';

/** A Compact file: thousands of commitments fit well within this (the API's CSV limit). */
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;

const CSRF_MESSAGE = 'This form has expired or did not come from this service. Go back, reload the page and submit it again.';

interface UploadedFile {
  name: string;
  content: string;
}

/** Reads the upload: the CSRF token must come first, then one file no larger than the limit. */
async function readUpload(request: FastifyRequest, session: WebSession, sessions: WebSessions): Promise<UploadedFile | null> {
  if (!request.isMultipart()) throw new Forbidden('CSRF_TOKEN_INVALID', CSRF_MESSAGE);
  let csrfChecked = false;
  let file: UploadedFile | null = null;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (part.fieldname === '_csrf') {
          if (!sessions.csrfMatches(session, String(part.value ?? ''))) throw new Forbidden('CSRF_TOKEN_INVALID', CSRF_MESSAGE);
          csrfChecked = true;
        }
        continue;
      }
      if (!csrfChecked) throw new Forbidden('CSRF_TOKEN_INVALID', CSRF_MESSAGE);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of part.file) {
        size += chunk.length;
        if (size > IMPORT_MAX_BYTES) {
          part.file.resume();
          throw new ValidationFailed([{ field: 'file', reason: 'The file must be smaller than 2 MB. Split the Compact, or remove what is not needed.' }]);
        }
        chunks.push(chunk);
      }
      if (part.file.truncated) throw new ValidationFailed([{ field: 'file', reason: 'The file must be smaller than 2 MB. Split the Compact, or remove what is not needed.' }]);
      if (part.fieldname === 'file' && part.filename) file = { name: part.filename, content: Buffer.concat(chunks).toString('utf8') };
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('FST_')) throw new ValidationFailed([{ field: 'file', reason: 'The file could not be read. Choose it again and upload it; it must be smaller than 2 MB.' }]);
    throw err;
  }
  if (!csrfChecked) throw new Forbidden('CSRF_TOKEN_INVALID', CSRF_MESSAGE);
  return file;
}

/** The file's kind, by its name and failing that its first character. */
export function importKind(file: UploadedFile): 'csv' | 'json' | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.json')) return 'json';
  const first = file.content.replace(/^\uFEFF/, '').trimStart().charAt(0);
  if (first === '{') return 'json';
  return first ? 'csv' : null;
}

/** Uploading a Compact file: the same import as POST /api/admin/compacts/import. */
@WebPages('admin/compacts/import')
@PageRoles('administrator')
export class CompactImportController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly importer: CompactImporter,
  ) {}

  @Post()
  @MultipartForm()
  async upload(@Req() request: FastifyRequest & WebRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = request.webSession!;
    let result: ImportedCompact;
    try {
      const file = await readUpload(request, session, this.sessions);
      if (!file || file.content.trim() === '') throw new ValidationFailed([{ field: 'file', reason: 'Choose a CSV or JSON file to import' }]);
      const kind = importKind(file);
      if (kind === 'json') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(file.content.replace(/^\uFEFF/, ''));
        } catch (err) {
          throw new ValidationFailed([{ field: 'file', reason: `The file is not valid JSON (${(err as Error).message}). Check it, or save the Compact as CSV.` }]);
        }
        result = await this.importer.importJson(parsed);
      } else {
        result = await this.importer.importCsv(file.content);
      }
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'forbidden') throw err;
      return this.refuse(reply, session, err);
    }
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    await setFlash(
      this.sessions,
      session,
      `Imported ${result.name}: ${plural(result.sections, 'section', 'sections')}, ${plural(result.commitments, 'commitment', 'commitments')} (${plural(result.rules, 'with a rule', 'with rules')}) and ${plural(result.signatories, 'signatory', 'signatories')}.`,
    );
    redirect(reply, `/admin/compacts/${result.compactId}`);
  }

  private refuse(reply: FastifyReply, session: WebSession, err: DomainError): void {
    const fileProblems: FieldError[] = err instanceof ValidationFailed ? err.errors : [{ field: 'file', reason: err.message }];
    // Problems with the upload itself go beside the field; problems inside the file go in the table by row.
    const aboutUpload = fileProblems.length === 1 && fileProblems[0].field === 'file' && !fileProblems[0].row;
    const rowErrors = aboutUpload ? [] : fileProblems;
    const summary = aboutUpload
      ? errorView([{ field: 'file', reason: /^[a-z]/.test(fileProblems[0].reason) ? `The file ${fileProblems[0].reason}` : fileProblems[0].reason }], {}, false)
      : {
          errorList: [{ text: `The file has ${rowErrors.length === 1 ? 'a problem' : `${rowErrors.length} problems`}. Nothing was imported. Correct the rows listed below and upload the file again.`, href: '#row-errors' }],
          fieldErrors: { file: { text: 'Correct the problems listed in the table, then choose the file again' } },
        };
    sendPage(
      reply,
      this.renderer.render('admin/compact-import.njk', pageContext(session, { title: 'Import a Compact', currentPath: '/admin/compacts', columns: COMPACT_CSV_COLUMNS, rowErrors, ...summary })),
      400,
    );
  }
}
