import { createHash, randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Conflict, ValidationFailed } from '@cc/common';
import { CaseAccess, VisibleCase, writeCaseRecord } from '@cc/cases';
import type { Caller } from '@cc/identity';
import { EvidenceStorage } from '@cc/evidence';
import { runSql, sql } from '@cc/persistence';
import { formatDate } from '@cc/wording';
import { letterPdf } from '../letter-pdf/letter-pdf';
import { type StoredRecipient, recipientWords } from '../sent-letters/sent-letters';
import { letterParagraphs } from '../template-language/letter-text';
import { markersIn } from '../template-language/template-language';
import { ComposedLetter, LetterComposer } from './letter-composer';
import type { PreviewLetterRequest, SendLetterRequest } from './write-letter.dto';

export class LetterSent {
  id: string;
  caseId: string;
  subject: string;
  recipients: string;
  byEmail: boolean;
  evidenceId: string;
  /** False when this request id had sent the letter already: nothing more was sent. */
  sentNow: boolean;
}

/** The one outbox template of a letter: its words travel in the row, the worker lays them out. */
export const LETTER_EMAIL_TEMPLATE = 'letter';

/**
 * Previews a letter, makes its PDF, and sends it: the PDF is stored first (outside any
 * transaction), then one transaction writes the letter, the document holding its PDF, an e-mail
 * per recipient into the outbox (the worker sends each once) and the timeline record. If that
 * transaction fails the stored file is removed again. A letter with a gap is never sent.
 */
@Injectable()
export class WriteLetter {
  private readonly logger = new Logger(WriteLetter.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CaseAccess,
    private readonly composer: LetterComposer,
    private readonly storage: EvidenceStorage,
  ) {}

  async preview(caller: Caller, caseId: string, request: PreviewLetterRequest) {
    const seen = await this.access.visible(caller, caseId);
    return this.composer.view(await this.composer.compose(seen, request));
  }

  /** The letters on offer for this case, each with what it would still lack. */
  async choices(caller: Caller, caseId: string) {
    return this.composer.choices(await this.access.visible(caller, caseId));
  }

  /** A PDF of the letter as it stands, its gaps marked; nothing is kept or sent. */
  async draftPdf(caller: Caller, caseId: string, request: PreviewLetterRequest): Promise<{ pdf: Buffer; fileName: string }> {
    const seen = await this.access.visible(caller, caseId);
    const letter = await this.composer.compose(seen, request);
    const pdf = await letterPdf({ reference: letter.letterCase.reference, caseTitle: letter.letterCase.title, subject: letter.subjectText, body: letter.bodyText, to: letter.to, dated: letter.dated, draft: true });
    return { pdf, fileName: fileNameOf(letter, 'Draft letter') };
  }

  async send(caller: Caller, caseId: string, request: SendLetterRequest): Promise<LetterSent> {
    const seen = await this.access.visible(caller, caseId);
    const id = request.requestId ?? randomUUID();
    const already = await this.sentAlready(id, seen);
    if (already) return already;
    const letter = await this.composer.compose(seen, request);
    this.refuseGaps(letter);
    const byEmail = request.byEmail ?? true;
    if (byEmail) {
      const noAddress = letter.chosen.findIndex((r) => !r.email);
      if (noAddress >= 0) throw new ValidationFailed([{ field: `recipients.${noAddress}`, reason: `has no e-mail address: ${letter.chosen[noAddress].name} can only be sent this letter by post (keep it on the case instead of e-mailing it)` }]);
    }
    const pdf = await letterPdf({ reference: letter.letterCase.reference, caseTitle: letter.letterCase.title, subject: letter.subjectText, body: letter.bodyText, to: letter.to, dated: letter.dated });
    const key = this.storage.newKey();
    const source = join(tmpdir(), `cc-letter-${randomUUID()}.pdf`);
    await writeFile(source, pdf);
    try {
      await this.storage.put(key, source);
    } finally {
      await rm(source, { force: true });
    }
    try {
      return await this.record(seen, id, letter, pdf, key, byEmail);
    } catch (err) {
      await this.storage.remove(key).catch((e) => this.logger.warn({ key, err: e instanceof Error ? e.message : String(e) }, 'Could not remove the PDF of a letter that was not sent'));
      // The same request sent twice at once: the other one sent it.
      if ((err as { code?: string }).code === '23505' || (err as { driverError?: { code?: string } }).driverError?.code === '23505') {
        const sent = await this.sentAlready(id, seen);
        if (sent) return sent;
      }
      throw err;
    }
  }

  private refuseGaps(letter: ComposedLetter): void {
    // Gaps the writer left in edited text are their input's fault (400 on the field); gaps the case
    // itself cannot fill yet are the case's state (409), with the list either way.
    const edits = [
      ...(letter.edited.subject ? markersIn(letter.subjectText).map((words) => ({ field: 'subject', reason: `still has a gap to fill: ${words}` })) : []),
      ...(letter.edited.body ? markersIn(letter.bodyText).map((words) => ({ field: 'body', reason: `still has a gap to fill: ${words}` })) : []),
    ];
    if (edits.length) throw new ValidationFailed(edits);
    if (letter.gaps.length) {
      throw new Conflict('LETTER_HAS_GAPS', `The letter cannot be sent yet: the case does not have ${letter.gaps.join('; ')}. Fill them in by editing the letter, or record them on the case first.`, {
        gaps: letter.gaps,
      });
    }
  }

  private async record(seen: VisibleCase, id: string, letter: ComposedLetter, pdf: Buffer, key: string, byEmail: boolean): Promise<LetterSent> {
    const c = seen.row;
    const caller = seen.caller;
    const recipients: StoredRecipient[] = letter.chosen.map((r) => ({ id: r.id, side: r.side, name: r.name, organisation: r.organisation, email: r.email, userId: r.userId }));
    const toBody = recipients.some((r) => r.side === 'respondent');
    const words = recipientWords(recipients);
    // The document is shared with the public body when it is a recipient: then it must not say who reported, if they asked.
    const hideReporter = toBody && !letter.letterCase.reporterNamed;
    const fileName = fileNameOf(letter, 'Letter', hideReporter);
    const paragraphs = letterParagraphs(letter.bodyText);
    return this.dataSource.transaction(async (m) => {
      const [evidence] = await runSql<{ id: string }>(
        m,
        sql`INSERT INTO evidence (case_id, uploaded_by, uploader_role, file_name, media_type, size_bytes, sha256, storage_key, description,
                                  shared_with_respondent, shared_at, shared_by)
            VALUES (${c.id}, ${caller.userId}, ${caller.role}, ${fileName}, 'application/pdf', ${pdf.length}, ${createHash('sha256').update(pdf).digest('hex')}, ${key},
                    ${`Letter ${byEmail ? 'e-mailed' : 'kept to post'} to ${recipientWords(recipients, hideReporter)}: ${letter.subjectText}`.slice(0, 500)},
                    ${toBody}, CASE WHEN ${toBody}::boolean THEN now() END, CASE WHEN ${toBody}::boolean THEN ${caller.userId}::uuid END)
            RETURNING id`,
      );
      await runSql(
        m,
        sql`INSERT INTO letters (id, case_id, template_id, template_name, addressed_to, subject, body, recipients, by_email, sent_by, evidence_id)
            VALUES (${id}, ${c.id}, ${letter.template.id}, ${letter.template.name}, ${letter.template.addressedTo}, ${letter.subjectText}, ${letter.bodyText},
                    ${JSON.stringify(recipients)}::jsonb, ${byEmail}, ${caller.userId}, ${evidence.id})`,
      );
      if (byEmail) {
        for (const r of recipients) {
          const data = {
            caseReference: c.reference,
            caseTitle: c.title,
            stateLabel: c.state,
            respondentName: letter.letterCase.respondentName,
            details: { subject: letter.subjectText, paragraphs },
          };
          await runSql(
            m,
            sql`INSERT INTO notifications (id, case_id, template, recipient_user_id, recipient_email, recipient_name, recipient_role, data, status, message_id)
                SELECT g.id, ${c.id}, ${LETTER_EMAIL_TEMPLATE}, ${r.userId}::uuid, ${r.email}, ${r.name}, ${r.side}, ${JSON.stringify(data)}::jsonb, 'pending', '<' || g.id || '@compact-cases>'
                  FROM (SELECT gen_random_uuid() AS id) g`,
          );
        }
      }
      await writeCaseRecord(m, {
        caseId: c.id,
        kind: 'letter_sent',
        actorId: caller.userId,
        details: { letterId: id, subject: letter.subjectText, recipients: words, byEmail, evidenceId: evidence.id, templateName: letter.template.name },
      });
      this.logger.log({ caseId: c.id, letterId: id, recipients: recipients.length, byEmail }, 'Letter sent');
      return { id, caseId: c.id, subject: letter.subjectText, recipients: words, byEmail, evidenceId: evidence.id, sentNow: true };
    });
  }

  private async sentAlready(id: string, seen: VisibleCase): Promise<LetterSent | null> {
    const [row] = await runSql<{ caseId: string; subject: string; recipients: StoredRecipient[]; byEmail: boolean; evidenceId: string }>(
      this.dataSource.manager,
      sql`SELECT case_id AS "caseId", subject, recipients, by_email AS "byEmail", evidence_id AS "evidenceId" FROM letters WHERE id = ${id}`,
    );
    if (!row) return null;
    // A request id from another case is not this case's letter: refused rather than answered with it.
    if (row.caseId !== seen.row.id) throw new ValidationFailed([{ field: 'requestId', reason: 'was already used for a letter on another case: send a new one' }]);
    return { id, caseId: row.caseId, subject: row.subject, recipients: recipientWords(row.recipients), byEmail: row.byEmail, evidenceId: row.evidenceId, sentNow: false };
  }
}

/** "Letter to Harborough District Council, 1 December 2026.pdf": the document's name on the case page. */
function fileNameOf(letter: ComposedLetter, what: string, hideReporter = false): string {
  const sides = [...new Set(letter.chosen.map((r) => (r.side === 'respondent' ? letter.letterCase.respondentName : hideReporter ? 'the reporting organisation' : letter.letterCase.reportingName)))];
  const to = sides.length ? ` to ${sides.join(' and ')}` : '';
  return `${what}${to}, ${formatDate(new Date())}.pdf`.replace(/[\\/:*?"<>|]+/g, ' ').slice(0, 200);
}
