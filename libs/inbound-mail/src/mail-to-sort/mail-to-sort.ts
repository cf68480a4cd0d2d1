import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Conflict, NotFound, ValidationFailed, isUuid } from '@cc/common';
import { type CheckedAttachment, EvidenceFromMail, type RefusedAttachment } from '@cc/evidence';
import type { Caller } from '@cc/identity';
import { runSql, sql } from '@cc/persistence';
import { INBOUND_STATUS_WORDS, SENDER_ROLE_WORDS, formatDateTime, whyToSortText } from '@cc/wording';
import type { Role } from '@cc/workflows';
import { canSeeCaseColumn } from '../file-reply/can-see-case';
import { ReplyFiling } from '../file-reply/reply-filing';
import { type ReadMessage, readMessage } from '../read-mail/read-message';
import { replyAudience, visibleReply } from '../read-mail/reply-text';
import type { FileAs, FileInboundMailRequest, FiledInboundMailView, InboundMailDetail, InboundMailView, ListedStatus } from './mail-to-sort.dto';

const STAFF: readonly Role[] = ['caseworker', 'administrator'];

interface MailRow {
  id: string;
  status: string;
  receivedAt: Date;
  via: string;
  fromAddress: string | null;
  fromName: string | null;
  subject: string | null;
  whyToSort: string | null;
  replyText: string | null;
  caseId: string | null;
  caseReference: string | null;
  handledByName: string | null;
  handledAt: Date | null;
}

const COLUMNS = sql`m.id, m.status, m.received_at AS "receivedAt", m.via, m.from_address AS "fromAddress", m.from_name AS "fromName", m.subject,
  m.why_to_sort AS "whyToSort", m.reply_text AS "replyText", m.case_id AS "caseId", c.reference AS "caseReference",
  h.display_name AS "handledByName", m.handled_at AS "handledAt"`;
const FROM = sql`inbound_mail m LEFT JOIN cases c ON c.id = m.case_id LEFT JOIN users h ON h.id = m.handled_by`;

/**
 * The e-mails that could not be put on a case by themselves ("mail to sort"), for caseworkers and
 * administrators: each is filed on a case (as a message from its sender, or as an internal note)
 * or discarded. Every e-mail received, whatever became of it, can be looked up here with its
 * original, which is kept in full.
 */
@Injectable()
export class MailToSort {
  private readonly logger = new Logger(MailToSort.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly filing: ReplyFiling,
    private readonly evidence: EvidenceFromMail,
  ) {}

  /**
   * One page of a list, newest first. `before` (the id of the last e-mail of the page before) pages
   * on by the e-mail itself, not by an offset, so e-mails arriving meanwhile neither repeat nor hide one.
   */
  async list(caller: Caller, query: { status?: ListedStatus; limit?: number; before?: string } = {}): Promise<InboundMailView[]> {
    assertStaff(caller);
    const status = query.status ?? 'to_sort';
    const limit = query.limit ?? 100;
    if (query.before === undefined) {
      const rows = await runSql<MailRow>(this.dataSource, sql`SELECT ${COLUMNS} FROM ${FROM} WHERE m.status = ${status} ORDER BY m.received_at DESC, m.id DESC LIMIT ${limit}`);
      return rows.map(toView);
    }
    const [after] = isUuid(query.before) ? await runSql<{ found: boolean }>(this.dataSource, sql`SELECT true AS found FROM inbound_mail WHERE id = ${query.before} AND status = ${status}`) : [];
    if (!after) throw new ValidationFailed([{ field: 'before', reason: 'must be the id of an e-mail in the list' }]);
    const rows = await runSql<MailRow>(
      this.dataSource,
      sql`SELECT ${COLUMNS} FROM ${FROM}
           WHERE m.status = ${status} AND (m.received_at, m.id) < (SELECT received_at, id FROM inbound_mail WHERE id = ${query.before})
           ORDER BY m.received_at DESC, m.id DESC LIMIT ${limit}`,
    );
    return rows.map(toView);
  }

  /** How many wait to be sorted (for the navigation and the list's heading). */
  async waiting(caller: Caller): Promise<number> {
    assertStaff(caller);
    const [row] = await runSql<{ n: number }>(this.dataSource, sql`SELECT count(*)::int AS n FROM inbound_mail WHERE status = 'to_sort'`);
    return row.n;
  }

  async get(caller: Caller, id: string): Promise<InboundMailDetail> {
    const { row, raw } = await this.load(caller, id);
    let message: ReadMessage | null = null;
    try {
      message = await readMessage(raw);
    } catch {
      message = null;
    }
    const [account] = row.fromAddress
      ? await runSql<{ name: string; role: Role }>(this.dataSource, sql`SELECT display_name AS name, role FROM users WHERE lower(email) = ${row.fromAddress} AND active LIMIT 1`)
      : [];
    return {
      ...toView(row),
      fullText: message?.text ?? '',
      attachments: (message?.attachments ?? []).map((a) => ({ fileName: a.fileName ?? 'attachment', contentType: a.contentType, sizeBytes: a.content.length })),
      senderAccount: account ? { name: account.name, role: SENDER_ROLE_WORDS[account.role] ?? 'someone with an account' } : null,
    };
  }

  /** The e-mail as it came, byte for byte. */
  async original(caller: Caller, id: string): Promise<{ fileName: string; raw: Buffer }> {
    const { row, raw } = await this.load(caller, id);
    return { fileName: `e-mail-${formatDateTime(row.receivedAt.toISOString())?.replace(/[^A-Za-z0-9]+/g, '-') ?? row.id}.eml`, raw };
  }

  /**
   * Puts a waiting e-mail on a case: as a message from its sender (whose account must be able to
   * see that case; shared as their role allows, with the usual e-mails), or as an internal note by
   * the caseworker quoting it. Attachments pass the evidence checks (none is added to a closed case).
   */
  async file(caller: Caller, id: string, request: FileInboundMailRequest): Promise<FiledInboundMailView> {
    const { row, raw } = await this.load(caller, id);
    assertWaiting(row);
    const message = await readMessage(raw).catch(() => null);
    const files: Array<CheckedAttachment | RefusedAttachment> = [];
    let storedKeys: string[] = [];
    try {
      for (const a of message?.attachments ?? []) files.push(await this.evidence.check(a.fileName, a.content));
      const reference = request.caseReference.trim().toUpperCase();
      const filed = await this.dataSource.transaction(async (m) => {
        const [locked] = await runSql<{ status: string }>(m, sql`SELECT status FROM inbound_mail WHERE id = ${row.id} FOR UPDATE`);
        assertWaiting(locked);
        const [target] = await runSql<{ id: string; reference: string; open: boolean; senderId: string | null; senderRole: Role | null; senderCanSee: boolean | null }>(
          m,
          sql`SELECT c.id, c.reference, (c.state <> 'closed' AND c.closed_at IS NULL) AS open,
                     u.id AS "senderId", u.role AS "senderRole", ${canSeeCaseColumn()} AS "senderCanSee"
                FROM cases c
                LEFT JOIN users u ON u.active AND lower(u.email) = ${row.fromAddress ?? ''}
               WHERE c.reference = ${reference}
               LIMIT 1
                 FOR SHARE OF c`,
        );
        if (!target) throw new ValidationFailed([{ field: 'caseReference', reason: `is not the reference of a case (${reference})` }]);
        const receivedAt = row.receivedAt;
        const text = visibleReply(message?.text ?? '');
        let done;
        if (request.as === 'message') {
          if (!target.senderId || !target.senderRole || !target.senderCanSee) {
            throw new Conflict(
              'SENDER_CANNOT_SEE_CASE',
              `The sender${row.fromAddress ? ` (${row.fromAddress})` : ''} has no account that can see ${target.reference}, so the e-mail cannot be a message from them there. File it as an internal note instead, or discard it.`,
              { allowedActions: ['file as an internal note', 'discard'] },
            );
          }
          const chosen = replyAudience(target.senderRole, text);
          done = await this.filing.file(m, target, { userId: target.senderId, role: target.senderRole }, { audience: chosen.audience, text: chosen.text, receivedAt, files, notify: true });
        } else {
          done = await this.filing.file(m, target, { userId: caller.userId, role: caller.role }, { audience: 'internal', text: quoted(row, receivedAt, text), receivedAt, files, notify: false });
        }
        storedKeys = done.storedKeys;
        await runSql(
          m,
          sql`UPDATE inbound_mail SET status = 'filed', case_id = ${target.id}, note_id = ${done.noteId}, handled_by = ${caller.userId}, handled_at = now() WHERE id = ${row.id}`,
        );
        return { caseId: target.id, caseReference: target.reference, noteId: done.noteId, filedAs: request.as as FileAs, attachmentsKept: done.attachmentsKept, attachmentsRefused: done.attachmentsRefused };
      });
      this.logger.log({ inboundMailId: row.id, caseId: filed.caseId, filedAs: filed.filedAs, by: caller.userId }, 'An e-mail to sort was filed on a case');
      return filed;
    } catch (err) {
      await this.evidence.forget(storedKeys);
      throw err;
    } finally {
      await this.evidence.release(files);
    }
  }

  /** Discards a waiting e-mail: it leaves the list, and is kept (with who discarded it) for the record. */
  async discard(caller: Caller, id: string): Promise<InboundMailView> {
    const { row } = await this.load(caller, id);
    assertWaiting(row);
    const [done] = await runSql<{ id: string }>(
      this.dataSource,
      sql`UPDATE inbound_mail SET status = 'discarded', handled_by = ${caller.userId}, handled_at = now() WHERE id = ${row.id} AND status = 'to_sort' RETURNING id`,
    );
    if (!done) assertWaiting({ status: 'sorted' });
    this.logger.log({ inboundMailId: row.id, by: caller.userId }, 'An e-mail to sort was discarded');
    return (await this.load(caller, id)).view;
  }

  private async load(caller: Caller, id: string): Promise<{ row: MailRow; raw: Buffer; view: InboundMailView }> {
    assertStaff(caller);
    if (!isUuid(id)) throw new NotFound('That e-mail', 'INBOUND_MAIL_NOT_FOUND');
    const [row] = await runSql<MailRow & { raw: Buffer }>(this.dataSource, sql`SELECT ${COLUMNS}, m.raw FROM ${FROM} WHERE m.id = ${id}`);
    if (!row) throw new NotFound('That e-mail', 'INBOUND_MAIL_NOT_FOUND');
    const { raw, ...rest } = row;
    return { row: rest, raw, view: toView(rest) };
  }
}

/** Only staff sort mail; to anyone else there is nothing here (as for a case they may not see). */
function assertStaff(caller: Caller): void {
  if (!STAFF.includes(caller.role)) throw new NotFound('That e-mail', 'INBOUND_MAIL_NOT_FOUND');
}

function assertWaiting(row: { status: string } | undefined): void {
  if (row?.status !== 'to_sort') {
    throw new Conflict('INBOUND_MAIL_ALREADY_SORTED', 'This e-mail is not waiting to be sorted any more: someone has filed or discarded it, or it was put on a case by itself.', {
      allowedActions: [],
    });
  }
}

function toView(r: MailRow): InboundMailView {
  return {
    id: r.id,
    status: r.status,
    statusText: INBOUND_STATUS_WORDS[r.status] ?? r.status,
    receivedAt: r.receivedAt.toISOString(),
    via: r.via,
    fromAddress: r.fromAddress,
    fromName: r.fromName,
    subject: r.subject,
    whyToSort: r.whyToSort,
    whyText: r.whyToSort ? whyToSortText(r.whyToSort) : null,
    replyText: r.replyText,
    caseId: r.caseId,
    caseReference: r.caseReference,
    handledByName: r.handledByName,
    handledAt: r.handledAt ? r.handledAt.toISOString() : null,
  };
}

/** An internal note quoting the e-mail: who sent it, when, and its subject, before its text. */
function quoted(row: MailRow, receivedAt: Date, text: string): string {
  const from = row.fromName ? `${row.fromName} (${row.fromAddress ?? 'no address'})` : (row.fromAddress ?? 'an unknown sender');
  const subject = row.subject ? `, subject "${row.subject}"` : '';
  return `E-mail from ${from}, received ${formatDateTime(receivedAt.toISOString()) ?? ''}${subject}:\n\n${text}`;
}
