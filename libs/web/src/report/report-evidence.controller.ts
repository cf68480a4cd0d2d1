import { Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, FieldError, HTTP_STATUS_OF } from '@cc/common';
import { EvidenceView, UploadEvidence, UploadPart } from '@cc/evidence';
import { uploadAfterCsrf } from '../multipart-form';
import { CurrentSession, MultipartForm, PageRoles, WebRequest } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession } from '../web-sessions.service';
import { redirect } from '../page';
import { ReportDrafts } from './report-drafts.store';
import { stepErrors } from './report-draft';
import { EVIDENCE_PAGE, describedEvidence, missingBefore, nextAfter } from './report-steps';
import { ReportStepPages } from './report-steps.page';

/**
 * The evidence step's form: one multipart form with the document, its description, and the
 * description of other evidence. Both of its buttons add a document that was chosen, so a file
 * chosen but not yet added is not lost by pressing Continue; a refused one keeps the reporter on
 * the page, told why. Documents are checked and stored like any evidence, held for the reporter,
 * and attached to the case when the report is sent.
 */
@WebPages('report')
@PageRoles('reporter')
export class ReportEvidenceController {
  constructor(
    private readonly upload: UploadEvidence,
    private readonly drafts: ReportDrafts,
    private readonly steps: ReportStepPages,
  ) {}

  @Post('evidence/upload')
  @MultipartForm()
  async add(@Req() request: FastifyRequest & WebRequest, @Res() reply: FastifyReply): Promise<void> {
    const session = request.webSession as WebSession;
    const form = await uploadAfterCsrf(request, session);
    let held: EvidenceView | undefined;
    let refused: { error: DomainError; fileName: string } | undefined;
    let chosen = false;
    for await (const part of form.parts) {
      if (part.kind !== 'file') continue;
      // A file input left empty still sends a part, with no name and no bytes.
      if (part.field !== 'file' || !part.fileName || chosen) {
        part.stream.resume();
        continue;
      }
      chosen = true;
      try {
        held = await this.upload.hold(session.caller, withDescription(form.fields.description, part));
      } catch (err) {
        if (!(err instanceof DomainError) || err.kind === 'forbidden') throw err;
        refused = { error: err, fileName: part.fileName };
      }
    }
    const fields = form.fields;
    const change = fields.change === '1';
    const continuing = fields.action === 'continue';
    const evidence = (fields.evidence ?? '').trim();

    let draft = await this.drafts.get(session.user.id);
    if (held) {
      draft = { ...draft, heldEvidenceIds: [...(draft.heldEvidenceIds ?? []), held.id] };
      await this.drafts.put(session.user.id, draft);
    }
    const missing = missingBefore(draft, 'evidence');
    if (missing) return redirect(reply, `/report/${missing}`);

    // Shown again as sent (not noted as the page last shown: opening the evidence page did that).
    const again = (extra: Record<string, unknown>, status: number, uploadValues: Record<string, string> = { description: fields.description ?? '' }) =>
      this.steps.show(reply, session, 'evidence', EVIDENCE_PAGE, draft, { values: { evidence: fields.evidence ?? '' }, uploadValues }, { change, ...extra }, status, false);
    const uploadError = (field: string, text: string) => ({ uploadError: { field, text }, errorList: [{ text, href: `#${field}` }] });
    if (refused) {
      const text = this.refusalText(refused.error, refused.fileName);
      return again(uploadError(text.field, continuing ? `Your document was not added. ${text.text}` : text.text), HTTP_STATUS_OF[refused.error.kind]);
    }
    if (!continuing && !chosen) return again(uploadError('file', 'Select a document to add'), 400);
    // The description of other evidence is kept either way; only Continue marks the step answered.
    const described = await describedEvidence(evidence, continuing);
    if ('refused' in described) return again(stepErrors(described.refused), 400, {});
    const saved = await this.steps.save(session, described.changes, continuing ? 'evidence' : undefined);
    redirect(reply, continuing ? nextAfter(saved, 'evidence', change) : `/report/evidence${change ? '?change=1' : ''}#held-evidence`);
  }

  @Post('evidence/:evidenceId/remove')
  async remove(@CurrentSession() session: WebSession, @Param('evidenceId') evidenceId: string, @Res() reply: FastifyReply): Promise<void> {
    await this.upload.removeHeld(session.caller, evidenceId);
    const draft = await this.drafts.get(session.user.id);
    await this.drafts.put(session.user.id, { ...draft, heldEvidenceIds: (draft.heldEvidenceIds ?? []).filter((id) => id !== evidenceId) });
    redirect(reply, '/report/evidence');
  }

  /** What to tell the reporter: the use case's own sentences name the file; a description too long is said here. */
  private refusalText(err: DomainError, fileName: string): { field: string; text: string } {
    const reasons = (err.details.errors as FieldError[] | undefined) ?? [];
    if (reasons[0]?.field === 'description') return { field: 'file-description', text: `The description of ${fileName} ${reasons[0].reason}` };
    if (err.code === 'VALIDATION_FAILED') return { field: 'file', text: `${fileName} could not be added: it ${reasons.map((e) => e.reason).join('; ') || 'was not received whole'}. Choose it again.` };
    return { field: 'file', text: err.message };
  }
}

/** The parts the upload use case reads: the document's description (typed above the file) and the file. */
async function* withDescription(description: string | undefined, file: Extract<UploadPart, { kind: 'file' }>): AsyncGenerator<UploadPart> {
  if (description) yield { kind: 'field', field: 'description', value: description };
  yield file;
}
