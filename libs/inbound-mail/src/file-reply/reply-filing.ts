import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppliedCase, type Audience, type EffectWrite } from '@cc/cases';
import { type CheckedAttachment, EvidenceFromMail, type RefusedAttachment } from '@cc/evidence';
import { NotificationWriter, type Recipients } from '@cc/notifications';
import { runPrepared, sql } from '@cc/persistence';
import { formatDate } from '@cc/wording';
import type { Role } from '@cc/workflows';
import { messageBody } from '../read-mail/reply-text';

/** Who the message is from: the person the answered e-mail went to, or the staff member filing it as a note. */
export interface ReplyAuthor {
  userId: string;
  role: Role;
}

/** The case it goes on, as read (and locked FOR SHARE) in the caller's transaction. */
export interface FilingCase {
  id: string;
  open: boolean;
}

export interface FiledReply {
  noteId: string;
  /** Files put into storage by this filing: the caller removes them if its transaction is rolled back. */
  storedKeys: string[];
  attachmentsKept: number;
  attachmentsRefused: number;
}

/**
 * Who is told of a message that came by e-mail, as on the site: the public body's goes to the
 * caseworker (every caseworker until one is assigned) and the reporter; a reporter's to the
 * caseworker; a caseworker's shared one to whom it is shared with. Notes only staff read tell nobody.
 */
export function noticeAudience(role: Role, audience: Audience): Recipients[] {
  if (role === 'respondent') return audience === 'parties' ? ['staff', 'reporter'] : ['staff'];
  if (role === 'reporter') return ['staff'];
  if (audience === 'parties') return ['respondent', 'reporter'];
  if (audience === 'respondent') return ['respondent'];
  return [];
}

/**
 * Puts an e-mail on a case: its attachments kept as evidence (those the content checks passed),
 * and the message, with the "there is a message" e-mails, in one statement. Runs in the caller's
 * transaction, which also records what became of the e-mail.
 */
@Injectable()
export class ReplyFiling {
  constructor(
    private readonly writer: NotificationWriter,
    private readonly evidence: EvidenceFromMail,
  ) {}

  async file(
    manager: EntityManager,
    c: FilingCase,
    author: ReplyAuthor,
    reply: { audience: Audience; text: string; receivedAt: Date; files: ReadonlyArray<CheckedAttachment | RefusedAttachment>; notify: boolean },
  ): Promise<FiledReply> {
    const storedKeys: string[] = [];
    const kept: string[] = [];
    const notKept: string[] = [];
    const accepted = reply.files.filter((f): f is CheckedAttachment => f.accepted);
    const refused = reply.files.filter((f): f is RefusedAttachment => !f.accepted);
    // Documents go where an upload would be allowed: an open case, by someone who may add them.
    const whyNoDocuments = !c.open ? 'the case is closed' : author.role === 'mediator' ? 'mediators do not add documents to a case' : null;
    const description = `Attached to an e-mail received on ${formatDate(reply.receivedAt.toISOString()) ?? 'the day it came'}`;
    for (const file of accepted) {
      if (whyNoDocuments) {
        notKept.push(file.fileName);
        continue;
      }
      const stored = await this.evidence.keep(manager, file, {
        caseId: c.id,
        uploadedBy: author.userId,
        uploaderRole: author.role,
        description,
        // The public body's documents are for the other side, as its uploads are; anyone else's are shared by a caseworker.
        sharedWithRespondent: author.role === 'respondent',
      });
      storedKeys.push(stored.storageKey);
      kept.push(file.fileName);
    }

    const postscript: string[] = [];
    if (kept.length) postscript.push(`Sent by e-mail with ${kept.length === 1 ? 'a document' : `${kept.length} documents`}, added to the case's documents: ${kept.join(', ')}.`);
    if (notKept.length) postscript.push(`Not added to the case's documents because ${whyNoDocuments}: ${notKept.join(', ')}. The e-mail is kept in full.`);
    for (const r of refused) postscript.push(`Not added to the case's documents: ${r.reason}`);
    const body = messageBody(reply.text, postscript);

    const insert: EffectWrite = (applied) =>
      sql`INSERT INTO case_notes (case_id, author_id, visibility, body, created_at)
          SELECT ${applied.col('id')}, ${author.userId}, ${reply.audience}, ${body}, ${reply.receivedAt.toISOString()}::timestamptz FROM ${applied.rows}
          RETURNING id`;
    const audience = reply.notify ? noticeAudience(author.role, reply.audience) : [];
    const notices = audience.length
      ? [this.writer.insertFor({ template: 'messageReceived', audience, details: this.writer.sharedDetails('MESSAGE', { fromRole: author.role }) })]
      : [];
    const [note] = await runPrepared<{ id: string }>(manager, AppliedCase.asStored(c.id).statement([insert, ...notices], (_, [written]) => sql`SELECT id FROM ${written}`));
    if (!note) throw new Error(`The case ${c.id} was not found while filing an e-mail on it`);
    return { noteId: note.id, storedKeys, attachmentsKept: kept.length, attachmentsRefused: refused.length + notKept.length };
  }
}
