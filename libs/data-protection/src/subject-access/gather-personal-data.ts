import { Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { simpleParser } from 'mailparser';
import type { Caller } from '@cc/identity';
import { EvidenceStorage } from '@cc/evidence';
import { runSql, sql } from '@cc/persistence';
import { DataProtectionRequests } from '../requests/data-protection-requests';
import { ANOTHER_PERSON, Redactor, likePatterns } from './redaction';
import type { PersonalData } from './personal-data';
import { subjectAccessZip } from './subject-access-zip';

/** Keys in an e-mail's stored data that hold a working link or a secret, never sent on in a copy. */
const SECRET_KEYS = /link|url|token|code|password|secret/i;
/** Enough of a received e-mail's text to be the message, without a forwarded archive's worth. */
const MAIL_TEXT_LIMIT = 20_000;

/**
 * Gathers everything held about one person, by the request's e-mail address, into one ZIP: a
 * readable summary.html and the same as data.json, with the files they uploaded. Reads first,
 * with no transaction held, then streams; nothing is stored, so the copy is not one more place
 * their data is kept. Other people's names and e-mail addresses are redacted (see Redactor).
 */
@Injectable()
export class GatherPersonalData {
  private readonly logger = new Logger(GatherPersonalData.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly requests: DataProtectionRequests,
    private readonly storage: EvidenceStorage,
  ) {}

  async zip(caller: Caller, requestId: string): Promise<{ fileName: string; stream: NodeJS.ReadableStream }> {
    const request = await this.requests.get(caller, requestId);
    const { data, files } = await this.collect(request.email, { receivedOn: request.receivedOn, dueOn: request.dueOn, kind: request.kind });
    // A file gone from storage is said so in the summary, rather than breaking the whole download.
    const present: Array<{ name: string; open: () => Promise<Readable> }> = [];
    for (const f of files) {
      try {
        (await this.storage.open(f.storageKey)).destroy();
        present.push({ name: f.name, open: () => this.storage.open(f.storageKey) });
      } catch {
        const listed = data.documents.find((d) => d.fileInExport === f.name);
        if (listed) listed.fileInExport = null;
      }
    }
    await this.requests.markGathered(caller, requestId);
    this.logger.log({ requestId, cases: data.cases.length, documents: present.length, byUserId: caller.userId }, 'Personal data gathered');
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    return { fileName: `personal-data-${day}.zip`, stream: subjectAccessZip(data, present) };
  }

  /** Everything held about the person with this e-mail address (exported for the tests and the pages' preview). */
  async collect(email: string, request: PersonalData['request']): Promise<{ data: PersonalData; files: Array<{ name: string; storageKey: string }> }> {
    const db = this.dataSource;
    const [account] = await runSql<{ id: string; name: string; email: string; role: string; organisation: string | null; active: boolean; createdAt: Date; passwordChangedAt: Date | null; twoFactor: boolean }>(
      db,
      sql`SELECT u.id, u.display_name AS name, u.email, u.role, o.name AS organisation, u.active, u.created_at AS "createdAt",
                 u.password_changed_at AS "passwordChangedAt", u.totp_confirmed_at IS NOT NULL AS "twoFactor"
            FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE lower(u.email) = lower(${email})`,
    );
    const [contact] = await runSql<{ id: string; name: string; email: string; jobTitle: string | null; organisation: string; createdAt: Date }>(
      db,
      sql`SELECT c.id, c.name, c.email, c.job_title AS "jobTitle", o.name AS organisation, c.created_at AS "createdAt"
            FROM respondent_contacts c JOIN organisations o ON o.id = c.organisation_id WHERE lower(c.email) = lower(${email})`,
    );
    const userId = account?.id ?? null;
    const contactId = contact?.id ?? null;
    const emails = [...new Set([email, account?.email, contact?.email].filter((e): e is string => !!e).map((e) => e.toLowerCase()))];
    const names = [...new Set([account?.name, contact?.name].filter((n): n is string => !!n?.trim()))];
    const patterns = likePatterns(emails, names);
    const emailPatterns = likePatterns(emails, []);

    // Everyone else we hold a name or address for: what must not show in this person's copy.
    const others = await runSql<{ name: string | null; email: string | null }>(
      db,
      sql`SELECT display_name AS name, email FROM users WHERE id IS DISTINCT FROM ${userId}::uuid
          UNION SELECT name, email FROM respondent_contacts WHERE id IS DISTINCT FROM ${contactId}::uuid`,
    );
    const redact = new Redactor({ emails, names }, others);
    // Staff see who reported every case; anyone else only their own organisation or where the reporter agreed to be named.
    const staff = ['caseworker', 'mediator', 'administrator'].includes(account?.role ?? '');
    const person = (id: string | null, role: string | null) => (id && id === userId ? 'You' : role ? `${ANOTHER_PERSON} (${roleWords(role)})` : ANOTHER_PERSON);

    const cases = await runSql<{
      id: string; reference: string; title: string; whatHappened: string; impact: string; desiredOutcome: string; evidence: string | null; happenedOn: string;
      submittedAt: Date; closedAt: Date | null; state: string; outcome: string | null; reportingOrganisation: string; respondent: string;
      reporter: boolean; assignee: boolean; mediator: boolean; contact: boolean; namedInText: boolean; reporterNamed: boolean;
    }>(
      db,
      sql`SELECT c.id, c.reference, c.title, c.what_happened AS "whatHappened", c.impact, c.desired_outcome AS "desiredOutcome", c.evidence,
                 to_char(c.happened_on, 'YYYY-MM-DD') AS "happenedOn", c.submitted_at AS "submittedAt", c.closed_at AS "closedAt", c.state, c.outcome,
                 ro.name AS "reportingOrganisation", rp.name AS respondent, c.reporter_named AS "reporterNamed",
                 coalesce(c.reported_by = ${userId}::uuid, false) AS reporter,
                 coalesce(c.assignee_id = ${userId}::uuid, false) AS assignee,
                 coalesce(c.mediator_id = ${userId}::uuid, false) AS mediator,
                 EXISTS (SELECT 1 FROM case_contacts cc WHERE cc.case_id = c.id AND cc.contact_id = ${contactId}::uuid) AS contact,
                 (c.title || ' ' || c.what_happened || ' ' || c.impact || ' ' || c.desired_outcome || ' ' || coalesce(c.evidence, '')) ILIKE ANY (${patterns}::text[]) AS "namedInText"
            FROM cases c
            JOIN organisations ro ON ro.id = c.reporting_organisation_id
            JOIN organisations rp ON rp.id = c.respondent_organisation_id
           WHERE c.reported_by = ${userId}::uuid OR c.assignee_id = ${userId}::uuid OR c.mediator_id = ${userId}::uuid
              OR c.id IN (SELECT case_id FROM case_contacts WHERE contact_id = ${contactId}::uuid)
              OR c.id IN (SELECT case_id FROM case_notes WHERE author_id = ${userId}::uuid OR body ILIKE ANY (${patterns}::text[]))
              OR c.id IN (SELECT case_id FROM case_events WHERE actor_id = ${userId}::uuid OR payload::text ILIKE ANY (${patterns}::text[]))
              OR c.id IN (SELECT case_id FROM evidence WHERE uploaded_by = ${userId}::uuid)
              OR c.id IN (SELECT case_id FROM letters WHERE sent_by = ${userId}::uuid OR recipients::text ILIKE ANY (${emailPatterns}::text[]) OR body ILIKE ANY (${patterns}::text[]))
              OR (c.title || ' ' || c.what_happened || ' ' || c.impact || ' ' || c.desired_outcome || ' ' || coalesce(c.evidence, '')) ILIKE ANY (${patterns}::text[])
           ORDER BY c.submitted_at`,
    );
    const caseIds = cases.map((c) => c.id);
    const referenceOf = new Map(cases.map((c) => [c.id, c.reference]));

    const notes = await runSql<{ caseId: string; authorId: string; authorRole: string; visibility: string; body: string; createdAt: Date }>(
      db,
      sql`SELECT n.case_id AS "caseId", n.author_id AS "authorId", u.role AS "authorRole", n.visibility, n.body, n.created_at AS "createdAt"
            FROM case_notes n JOIN users u ON u.id = n.author_id
           WHERE n.case_id = ANY (${caseIds}::uuid[]) AND (n.author_id = ${userId}::uuid OR n.body ILIKE ANY (${patterns}::text[]))
           ORDER BY n.created_at`,
    );
    const events = await runSql<{ caseId: string; type: string; actorId: string | null; actorRole: string; payload: unknown; occurredAt: Date }>(
      db,
      sql`SELECT e.case_id AS "caseId", e.type, e.actor_id AS "actorId", e.actor_role AS "actorRole", e.payload, e.occurred_at AS "occurredAt"
            FROM case_events e
           WHERE e.case_id = ANY (${caseIds}::uuid[]) AND (e.actor_id = ${userId}::uuid OR e.payload::text ILIKE ANY (${patterns}::text[]))
           ORDER BY e.occurred_at, e.id`,
    );
    const documents = await runSql<{ id: string; caseId: string; fileName: string; mediaType: string; sizeBytes: string; description: string | null; createdAt: Date; storageKey: string }>(
      db,
      sql`SELECT id, case_id AS "caseId", file_name AS "fileName", media_type AS "mediaType", size_bytes AS "sizeBytes", description, created_at AS "createdAt", storage_key AS "storageKey"
            FROM evidence WHERE uploaded_by = ${userId}::uuid ORDER BY created_at`,
    );
    const sent = await runSql<{ caseId: string; template: string; status: string; data: unknown; createdAt: Date; sentAt: Date | null }>(
      db,
      sql`SELECT case_id AS "caseId", template, status, data, created_at AS "createdAt", sent_at AS "sentAt"
            FROM notifications WHERE recipient_user_id = ${userId}::uuid OR lower(recipient_email) = ANY (${emails}::text[]) ORDER BY created_at`,
    );
    const received = await runSql<{ raw: Buffer; subject: string | null; receivedAt: Date; caseId: string | null; caseReference: string | null }>(
      db,
      sql`SELECT m.raw, m.subject, m.received_at AS "receivedAt", m.case_id AS "caseId", c.reference AS "caseReference"
            FROM inbound_mail m LEFT JOIN cases c ON c.id = m.case_id
           WHERE m.from_address ILIKE ANY (${emailPatterns}::text[]) ORDER BY m.received_at`,
    );
    const letters = await runSql<{ caseId: string; subject: string; body: string; sentBy: string; sentByRole: string; sentAt: Date; byEmail: boolean; toThem: boolean }>(
      db,
      sql`SELECT l.case_id AS "caseId", l.subject, l.body, l.sent_by AS "sentBy", u.role AS "sentByRole", l.sent_at AS "sentAt", l.by_email AS "byEmail",
                 l.recipients::text ILIKE ANY (${emailPatterns}::text[]) AS "toThem"
            FROM letters l JOIN users u ON u.id = l.sent_by
           WHERE l.case_id = ANY (${caseIds}::uuid[]) AND (l.sent_by = ${userId}::uuid OR l.recipients::text ILIKE ANY (${emailPatterns}::text[]) OR l.body ILIKE ANY (${patterns}::text[]))
           ORDER BY l.sent_at`,
    );
    const reads = await runSql<{ at: Date; method: string; path: string; caseReference: string | null }>(
      db,
      sql`SELECT a.at, a.method, a.path, c.reference AS "caseReference" FROM access_audit a LEFT JOIN cases c ON c.id = a.case_id
           WHERE a.user_id = ${userId}::uuid ORDER BY a.at`,
    );
    const accountEvents = await runSql<{ kind: string; at: Date; byOther: boolean }>(
      db,
      sql`SELECT kind, at, (by_user_id IS NOT NULL AND by_user_id <> user_id) AS "byOther" FROM account_events WHERE user_id = ${userId}::uuid ORDER BY at`,
    );
    const signIns = await runSql<{ createdAt: Date; lastSeenAt: Date }>(
      db,
      sql`SELECT created_at AS "createdAt", last_seen_at AS "lastSeenAt" FROM web_sessions WHERE user_id = ${userId}::uuid ORDER BY created_at`,
    );
    const requests = await runSql<{ kind: string; receivedOn: string; status: string }>(
      db,
      sql`SELECT kind, to_char(received_on, 'YYYY-MM-DD') AS "receivedOn", status FROM data_protection_requests WHERE lower(email) = ANY (${emails}::text[]) ORDER BY received_on`,
    );

    const files: Array<{ name: string; storageKey: string }> = [];
    const data: PersonalData = {
      email,
      gatheredAt: new Date().toISOString(),
      request,
      account: account
        ? { name: account.name, email: account.email, role: account.role, organisation: account.organisation, active: account.active, createdAt: account.createdAt, passwordChangedAt: account.passwordChangedAt, twoFactor: account.twoFactor }
        : null,
      publicBodyContact: contact ? { name: contact.name, email: contact.email, jobTitle: contact.jobTitle, organisation: contact.organisation, createdAt: contact.createdAt } : null,
      cases: cases.map((c) => ({
        reference: c.reference,
        yourPart: [c.reporter && 'reported it', c.assignee && 'caseworker', c.mediator && 'mediator', c.contact && 'contact at the public body', c.namedInText && 'named in the report'].filter((p): p is string => !!p),
        // A reporter may ask that the public body is not told who reported: its contact's copy keeps that promise.
        reportingOrganisation: c.reporterNamed || c.reporter || staff ? c.reportingOrganisation : NOT_NAMED,
        publicBody: c.respondent,
        state: c.state,
        outcome: c.outcome,
        submittedAt: c.submittedAt,
        closedAt: c.closedAt,
        happenedOn: c.happenedOn,
        // The report's words only where this person wrote them or is named in them.
        report: c.reporter || c.namedInText ? { title: redact.text(c.title), whatHappened: redact.text(c.whatHappened), impact: redact.text(c.impact), desiredOutcome: redact.text(c.desiredOutcome), evidence: redact.text(c.evidence) } : null,
      })),
      notes: notes.map((n) => ({ caseReference: referenceOf.get(n.caseId) ?? '', writtenBy: person(n.authorId, n.authorRole), visibility: n.visibility, writtenAt: n.createdAt, text: redact.text(n.body) })),
      caseEvents: events.map((e) => ({ caseReference: referenceOf.get(e.caseId) ?? '', what: e.type, by: person(e.actorId, e.actorRole), at: e.occurredAt, texts: redact.texts(e.payload) })),
      documents: documents.map((d, i) => {
        const name = `files/${referenceOf.get(d.caseId) ?? 'case'}/${i + 1}-${safeFileName(d.fileName)}`;
        files.push({ name, storageKey: d.storageKey });
        return { caseReference: referenceOf.get(d.caseId) ?? '', fileName: d.fileName, mediaType: d.mediaType, sizeBytes: Number(d.sizeBytes), description: redact.text(d.description), uploadedAt: d.createdAt, fileInExport: name };
      }),
      letters: letters.map((l) => ({ caseReference: referenceOf.get(l.caseId) ?? '', subject: redact.text(l.subject), sentBy: person(l.sentBy, l.sentByRole), sentAt: l.sentAt, byEmail: l.byEmail, toYou: l.toThem, text: redact.text(l.body) })),
      emailsSent: sent.map((n) => ({ caseReference: referenceOf.get(n.caseId) ?? null, message: n.template, status: n.status, createdAt: n.createdAt, sentAt: n.sentAt, texts: redact.texts(n.data, (k) => SECRET_KEYS.test(k)) })),
      emailsReceived: await Promise.all(
        received.map(async (m) => ({ caseReference: m.caseReference, subject: redact.text(m.subject), receivedAt: m.receivedAt, text: redact.text(await mailText(m.raw)) })),
      ),
      reads: reads.map((r) => ({ at: r.at, caseReference: r.caseReference, method: r.method, path: r.path })),
      accountHistory: accountEvents.map((e) => ({ what: e.kind, at: e.at, byAnAdministrator: e.byOther })),
      signIns: signIns.map((s) => ({ signedInAt: s.createdAt, lastUsedAt: s.lastSeenAt })),
      requests,
    };
    return { data, files };
  }
}

const NOT_NAMED = 'A voluntary organisation (not named, at its request)';

function roleWords(role: string): string {
  return ({ reporter: 'a reporter', caseworker: 'a caseworker', mediator: 'a mediator', administrator: 'an administrator', respondent: 'the public body', system: 'the service' } as Record<string, string>)[role] ?? 'someone else';
}

/** A file's name as a path inside the ZIP: no folders, nothing an unzip tool would read as one. */
function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').replace(/^\.+/, '').slice(-120) || 'file';
}

async function mailText(raw: Buffer): Promise<string> {
  try {
    const parsed = await simpleParser(raw, { skipHtmlToText: false, skipImageLinks: true, skipTextToHtml: true });
    return (parsed.text ?? '').slice(0, MAIL_TEXT_LIMIT);
  } catch {
    return '';
  }
}
