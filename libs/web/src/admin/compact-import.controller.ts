import { Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import '@fastify/multipart';
import { DomainError, FieldError, Forbidden, ValidationFailed } from '@cc/common';
import { COMPACT_CSV_COLUMNS, COMPACT_CSV_GUIDE, CompactImporter, ImportedCompact, compactCsvAllowedValues, compactCsvTemplate } from '@cc/registry';
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

const SUMMARY_LIMIT = 10;

/**
 * One problem in the file as a sentence that says where it is: "Row 4, column section_kind: must
 * be ...", with the column as the file's header writes it. A JSON file's path becomes words too.
 */
export function problemText(e: FieldError): string {
  const where = e.row ? `Row ${e.row}` : '';
  if (e.field === 'file') return where ? `${where}: the file ${e.reason}` : `The file ${e.reason}`;
  const json = /^(commitments|sections|signatories|leadContacts)\.(\d+)\.?(.*)$/.exec(e.field);
  if (json) {
    const things: Record<string, string> = { commitments: 'Commitment', sections: 'Section', signatories: 'Signatory', leadContacts: 'Lead contact' };
    return `${things[json[1]]} ${Number(json[2]) + 1}${json[3] ? `, ${json[3]}` : ''}: ${e.reason}`;
  }
  return where ? `${where}, column ${e.field}: ${e.reason}` : `${e.field}: ${e.reason}`;
}

function sendCsv(reply: FastifyReply, filename: string, csv: string): void {
  // The byte order mark lets Excel see the file is UTF-8 (the texts have curly apostrophes); the import skips it.
  reply.status(200).type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${filename}"`).header('cache-control', 'no-store').send(`\uFEFF${csv}`);
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
        } catch {
          throw new ValidationFailed([{ field: 'file', reason: 'The file is not valid JSON. Check it with a JSON checker, or save the Compact as CSV from the template.' }]);
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

  /** A CSV to start from: the header and an example Compact that imports as it is. */
  @Get('template.csv')
  template(@Res() reply: FastifyReply): void {
    sendCsv(reply, 'compact-template.csv', compactCsvTemplate());
  }

  /** Every column, what it holds and the values it allows. */
  @Get('allowed-values.csv')
  allowedValues(@Res() reply: FastifyReply): void {
    sendCsv(reply, 'compact-columns-and-allowed-values.csv', compactCsvAllowedValues());
  }

  private refuse(reply: FastifyReply, session: WebSession, err: DomainError): void {
    const fileProblems: FieldError[] = err instanceof ValidationFailed ? err.errors : [{ field: 'file', reason: err.message }];
    // Problems with the upload itself go beside the field; problems inside the file are listed by row and column.
    const aboutUpload = fileProblems.length === 1 && fileProblems[0].field === 'file' && !fileProblems[0].row;
    const problems = aboutUpload ? [] : fileProblems.map(problemText);
    const shown = problems.slice(0, SUMMARY_LIMIT);
    const summary = aboutUpload
      ? errorView([{ field: 'file', reason: /^[a-z]/.test(fileProblems[0].reason) ? `The file ${fileProblems[0].reason}` : fileProblems[0].reason }], {}, false)
      : {
          errorList: [
            ...shown.map((text) => ({ text, href: '#file' })),
            ...(problems.length > shown.length ? [{ text: `And ${problems.length - shown.length} more, listed below`, href: '#row-errors' }] : []),
          ],
          fieldErrors: { file: { text: `Correct the ${problems.length === 1 ? 'problem' : `${problems.length} problems`} listed, then choose the file again` } },
        };
    sendPage(
      reply,
      this.renderer.render(
        'admin/compact-import.njk',
        pageContext(session, { title: 'Import a Compact', currentPath: '/admin/compacts', columns: COMPACT_CSV_COLUMNS, guide: COMPACT_CSV_GUIDE, problems, ...summary }),
      ),
      400,
    );
  }
}
