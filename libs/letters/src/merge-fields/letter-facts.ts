import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { VisibleCase } from '@cc/cases';
import { runPrepared, sql } from '@cc/persistence';
import type { CommitmentRule, ReportFacts } from '@cc/registry';
import { CLOSED_BECAUSE, REJECTION_REASON_WORDS, formatDate, formatDateTime, formatPence, mediationResultExplained, stateName } from '@cc/wording';
import { type CaseOutcome, DEADLINE_KINDS, feeShares, workflowFor } from '@cc/workflows';
import type { MergeData } from '../template-language/template-language';
import { factSentences, findingSentence } from './findings';

/** Who a letter is written to: the public body, the reporting organisation, or both sides of a mediation. */
export const ADDRESSEES = ['respondent', 'reporter', 'parties'] as const;
export type Addressee = (typeof ADDRESSEES)[number];

/** Someone a letter can be sent to on this case: the reporter, or a contact of the public body named on it. */
export interface LetterRecipient {
  /** 'reporter', or the public body contact's id. */
  id: string;
  side: 'reporter' | 'respondent';
  name: string;
  email: string | null;
  userId: string | null;
  jobTitle: string | null;
  organisation: string;
}

export interface LetterCase {
  recipients: LetterRecipient[];
  /** Builds the merge data for a letter to these recipients on this side. */
  data(addressedTo: Addressee, to: LetterRecipient[]): MergeData;
  reference: string;
  title: string;
  respondentName: string;
  reportingName: string;
  reporterNamed: boolean;
  state: string;
}

interface FactsRow {
  compactName: string | null;
  reportingName: string | null;
  reportingArea: string | null;
  respondentName: string | null;
  respondentArea: string | null;
  reporterName: string | null;
  reporterEmail: string | null;
  assigneeName: string | null;
  mediatorName: string | null;
  senderName: string | null;
  commitments: Array<{ reference: string; text: string; rule: CommitmentRule | null }>;
  contacts: Array<{ id: string; name: string; email: string | null; jobTitle: string | null; userId: string | null }>;
  events: Array<{ type: string; payload: Record<string, unknown>; at: string }>;
  deadlines: Array<{ kind: string; dueAt: string }>;
  replyDays: number | null;
}

/** The events whose words letters quote: the latest of each. */
const QUOTED_EVENTS = ['CONTACT_RESPONDENT', 'CHASE', 'REQUEST_INFO', 'REJECT', 'UPHOLD_REJECTION', 'CLOSE', 'CLOSE_UNRESOLVED', 'RECORD_OUTCOME', 'WITHDRAW', 'CONFIRM_IMPLEMENTED'];

/** How a case closed, to the public body (the reporter's words, CLOSED_BECAUSE, say "you withdrew it"). */
const CLOSED_BECAUSE_TO_THE_BODY: Record<CaseOutcome, string> = {
  resolved: 'the agreed actions were carried out',
  unresolved: 'no agreement was reached',
  rejected: 'we could not take up the report',
  withdrawn: 'the reporting organisation withdrew it',
  lapsed: 'our questions to the reporting organisation were not answered in time',
};

/**
 * Everything the case knows that a letter may say, read in one statement for a case already
 * loaded and checked: the parties and their contacts, the Compact and commitments with what the
 * rule check finds, the running clocks, and the words of the events letters quote.
 */
@Injectable()
export class LetterFacts {
  constructor(private readonly dataSource: DataSource) {}

  async of(seen: VisibleCase): Promise<LetterCase> {
    const c = seen.row;
    const [row] = await runPrepared<FactsRow>(
      this.dataSource.manager,
      sql`SELECT (SELECT name FROM compacts WHERE id = ${c.compactId}) AS "compactName",
                 rep.name AS "reportingName", rep.area AS "reportingArea", body.name AS "respondentName", body.area AS "respondentArea",
                 reporter.display_name AS "reporterName", reporter.email AS "reporterEmail",
                 (SELECT display_name FROM users WHERE id = ${c.assigneeId}) AS "assigneeName",
                 (SELECT display_name FROM users WHERE id = ${c.mediatorId}) AS "mediatorName",
                 (SELECT display_name FROM users WHERE id = ${seen.caller.userId}) AS "senderName",
                 COALESCE((SELECT jsonb_agg(jsonb_build_object('reference', reference, 'text', text, 'rule', rule) ORDER BY position, reference)
                             FROM commitments WHERE id = ANY(${c.commitmentIds}::uuid[])), '[]'::jsonb) AS commitments,
                 COALESCE((SELECT jsonb_agg(jsonb_build_object('id', rc.id, 'name', rc.name, 'email', rc.email, 'jobTitle', rc.job_title, 'userId', rc.user_id) ORDER BY lower(rc.name), rc.id)
                             FROM case_contacts cc JOIN respondent_contacts rc ON rc.id = cc.contact_id
                            WHERE cc.case_id = ${c.id} AND rc.active AND rc.organisation_id = ${c.respondentOrganisationId}), '[]'::jsonb) AS contacts,
                 COALESCE((SELECT jsonb_agg(jsonb_build_object('type', e.type, 'payload', e.payload, 'at', e.occurred_at))
                             FROM (SELECT DISTINCT ON (type) type, payload, occurred_at FROM case_events
                                    WHERE case_id = ${c.id} AND type = ANY(${QUOTED_EVENTS}::text[]) ORDER BY type, seq DESC) e), '[]'::jsonb) AS events,
                 (SELECT working_days FROM deadline_policies WHERE kind = 'respondentReply' AND (compact_id = ${c.compactId} OR compact_id IS NULL)
                   ORDER BY compact_id NULLS LAST LIMIT 1) AS "replyDays",
                 COALESCE((SELECT jsonb_agg(jsonb_build_object('kind', kind, 'dueAt', due_at)) FROM deadlines
                            WHERE case_id = ${c.id} AND status = 'pending' AND due_at IS NOT NULL), '[]'::jsonb) AS deadlines
            FROM organisations rep, organisations body
            LEFT JOIN users reporter ON reporter.id = ${c.reportedBy}
           WHERE rep.id = ${c.reportingOrganisationId} AND body.id = ${c.respondentOrganisationId}`,
    );
    const respondentName = row.respondentName ?? 'the public body';
    const reportingName = row.reportingName ?? 'the reporting organisation';
    const recipients: LetterRecipient[] = [
      ...(row.reporterName ? [{ id: 'reporter', side: 'reporter' as const, name: row.reporterName, email: row.reporterEmail, userId: c.reportedBy, jobTitle: null, organisation: reportingName }] : []),
      ...row.contacts.map((k) => ({ id: k.id, side: 'respondent' as const, name: k.name, email: k.email, userId: k.userId, jobTitle: k.jobTitle, organisation: respondentName })),
    ];
    const context = workflowFor(c.machineVersion).view(c.snapshot).context;
    const event = (type: string) => row.events.find((e) => e.type === type)?.payload ?? {};
    const words = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    const due = (kind: string, prefix = 'by') => {
      const d = row.deadlines.find((x) => x.kind === kind);
      const date = d ? formatDate(d.dueAt) : undefined;
      return date ? `${prefix} ${date}` : undefined;
    };
    const fee = context.fee;
    const shares = fee ? feeShares({ amountPence: fee.amountPence, reporterSharePercent: fee.reporterSharePercent }) : null;
    const outcome = c.outcome as CaseOutcome | null;
    const closingSummary =
      outcome === 'rejected'
        ? words(event('UPHOLD_REJECTION').explanation) ?? words(event('REJECT').explanation)
        : outcome === 'withdrawn'
          ? words(event('WITHDRAW').reason)
          : outcome === 'resolved'
            ? words(event('CONFIRM_IMPLEMENTED').note) ?? words(event('CLOSE').summary)
            : outcome === 'unresolved'
              ? words(event('CLOSE_UNRESOLVED').reason) ?? words(event('CLOSE').summary) ?? words(event('RECORD_OUTCOME').summary)
              : undefined;
    const rejectionReason = context.rejection?.reason ?? (event('REJECT').reason as string | undefined);
    const facts = (c.facts ?? {}) as ReportFacts;
    const replyDays = row.replyDays ?? DEADLINE_KINDS.respondentReply.workingDays;

    const data = (addressedTo: Addressee, to: LetterRecipient[]): MergeData => {
      // The public body reads it: a reporter who asked not to be named is "a voluntary organisation in <area>".
      const bodyReads = addressedTo !== 'reporter';
      const anonymous = bodyReads && !c.reporterNamed;
      const organisation = anonymous ? (row.reportingArea ? `a voluntary organisation in ${row.reportingArea}` : 'a voluntary organisation') : reportingName;
      const toBody = addressedTo === 'respondent';
      const compactName = row.compactName ?? 'the Compact';
      const sideNames = [...new Set(to.map((r) => r.organisation))];
      return {
        today: formatDate(new Date()),
        case: {
          reference: c.reference,
          title: c.title,
          submittedOn: formatDate(c.submittedAt),
          happenedOn: formatDate(c.happenedOn),
          whatHappened: c.whatHappened,
          impact: c.impact,
          desiredOutcome: c.desiredOutcome,
          stage: stateName(c.state) ?? undefined,
          contactedOn: formatDate(row.events.find((e) => e.type === 'CONTACT_RESPONDENT')?.at),
        },
        compact: { name: row.compactName },
        reporter: {
          organisation,
          area: row.reportingArea,
          name: anonymous ? undefined : row.reporterName,
          email: anonymous ? undefined : row.reporterEmail,
          named: c.reporterNamed,
        },
        respondent: {
          name: row.respondentName,
          area: row.respondentArea,
          contactNames: andList(row.contacts.map((k) => k.name)),
          contacts: row.contacts.map((k) => ({ name: k.name, jobTitle: k.jobTitle })),
        },
        recipient: {
          // Both sides read a letter to both: the reporter's person is not named to the public body when they asked.
          name: andList(to.map((r) => (anonymous && r.side === 'reporter' ? organisation : r.name))),
          organisation: sideNames.length === 1 ? (sideNames[0] === reportingName ? organisation : sideNames[0]) : andList(sideNames.map((n) => (n === reportingName ? organisation : n))),
        },
        commitments: row.commitments.map((k) => ({
          reference: k.reference,
          text: k.text,
          finding: k.rule ? findingSentence(compactName, k.reference, k.rule, facts, toBody, respondentName) : undefined,
        })),
        findings: row.commitments.flatMap((k) => (k.rule ? [findingSentence(compactName, k.reference, k.rule, facts, toBody, respondentName)] : [])).filter((s): s is string => !!s),
        facts: factSentences(facts),
        deadlines: {
          reply: due('respondentReply'),
          replyWithin: `within ${replyDays} working days`,
          information: due('informationRequest'),
          feeAgreement: due('feeAgreement'),
          feePayment: due('feePayment'),
          monitoring: due('monitoring', 'until') ?? (context.monitorUntil ? `until ${formatDate(context.monitorUntil)}` : undefined),
        },
        questions: words(event('REQUEST_INFO').questions),
        agreedActions: context.agreedActions ?? [],
        monitorUntil: formatDate(context.monitorUntil),
        fee: fee
          ? {
              total: formatPence(fee.amountPence),
              reporterShare: shares ? `${formatPence(shares.reporter)} (${fee.reporterSharePercent}%)` : undefined,
              respondentShare: shares ? `${formatPence(shares.respondent)} (${100 - fee.reporterSharePercent}%)` : undefined,
              waived: fee.waived,
            }
          : undefined,
        mediation: {
          mediator: row.mediatorName,
          session: context.session ? [formatDateTime(context.session.startsAt), context.session.location].filter(Boolean).join(', ') : undefined,
          result: mediationResultExplained(event('RECORD_OUTCOME').result),
          summary: words(event('RECORD_OUTCOME').summary),
        },
        rejection: {
          decidedOn: outcome === 'rejected' ? formatDate(row.events.find((e) => e.type === 'REJECT')?.at) : undefined,
          reason: rejectionReason && Object.hasOwn(REJECTION_REASON_WORDS, rejectionReason) ? REJECTION_REASON_WORDS[rejectionReason as keyof typeof REJECTION_REASON_WORDS].because : undefined,
          explanation: words(context.rejection?.explanation) ?? words(event('REJECT').explanation),
        },
        closing: {
          closedOn: c.stage === 'closed' ? formatDate(c.closedAt) : undefined,
          outcome: outcome ? (addressedTo === 'reporter' ? CLOSED_BECAUSE[outcome] : CLOSED_BECAUSE_TO_THE_BODY[outcome]) : undefined,
          summary: closingSummary,
        },
        caseworker: { name: row.assigneeName },
        sender: { name: row.senderName, role: seen.caller.role === 'administrator' ? 'Administrator' : 'Caseworker' },
      };
    };
    return { recipients, data, reference: c.reference, title: c.title, respondentName, reportingName, reporterNamed: c.reporterNamed, state: c.state };
  }
}

/** "A", "A and B", "A, B and C". */
export function andList(items: string[]): string | undefined {
  const list = items.filter((s) => s.trim());
  if (!list.length) return undefined;
  return list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}
