import type { CaseDetail, NoteView, TimelineEntry } from '@cc/cases';
import type { DeadlineRow } from '@cc/deadlines';
import type { PdfBlock, PdfSpec } from '@cc/documents';
import type { EvidenceView } from '@cc/evidence';
import { type CommitmentRule, REPORT_FACTS, describePeriod, evaluateRule } from '@cc/registry';
import { REPORTER_STAGES, RESPONDENT_STAGES, eventTitle, formatDate, formatDateTime, formatPence, humanise, stateName, whereItStands } from '@cc/wording';
import { feeShares, type Role } from '@cc/workflows';
import { AUDIENCE_WORDS, ROLE_NAMES, deadlineLabel, deadlineStatus, detailLine, fileSize, outcomeWords, whoActed } from './case-file-words';

/** A letter sent on the case, as the letters library tells it (@cc/letters SentLetters.of). */
export interface LetterSentLine {
  subject: string;
  sentAt: string;
  sentByName: string;
  recipients: string;
  byEmail?: boolean;
}

/** Everything one person may see of a case, already filtered by the use cases that own each part. */
export interface CaseFileSource {
  role: Role;
  callerName: string;
  madeAt: Date;
  detail: CaseDetail;
  compactName: string | null;
  /** Who reported, for readers who may be told (never the public body); the e-mail for staff only. */
  reportedBy: { name: string; email: string | null } | null;
  commitments: Array<{ reference: string; text: string; rule: CommitmentRule | null }>;
  /** Rule findings for staff and the mediator (the triage's reading of the facts); none for the parties. */
  showRuleFindings: boolean;
  timeline: TimelineEntry[];
  /** People and contacts named in event details, by id. */
  names: ReadonlyMap<string, string>;
  /** Notes (not messages: those are on the timeline) the reader may read. */
  notes: NoteView[];
  deadlines: DeadlineRow[];
  evidence: EvidenceView[];
  /** Null when the letters library cannot say (the section is left out rather than shown empty). */
  letters: LetterSentLine[] | null;
}

const isStaff = (role: Role) => role === 'caseworker' || role === 'administrator';

/** The file name both downloads use: the reference, which is what people file papers under. */
export const caseFileName = (reference: string, extension: 'pdf' | 'zip') => `${reference}-case-file.${extension}`;

/**
 * The case file as a document: a cover, the report, the commitments and what the rules found, the
 * agreement and fee, deadlines and how they ended, the timeline, notes, letters sent and the
 * documents. Pure: every part arrives filtered for the reader; this only says it in words.
 */
export function caseFileSpec(s: CaseFileSource): PdfSpec {
  const d = s.detail;
  const made = formatDateTime(s.madeAt) ?? '';
  const blocks: PdfBlock[] = [
    ...cover(s, made),
    { kind: 'pageBreak' },
    ...report(s),
    ...commitments(s),
    ...agreement(s),
    ...deadlines(s),
    ...timeline(s),
    ...notes(s),
    ...letters(s),
    ...documents(s),
  ];
  return {
    title: `Case file: ${d.reference}, ${d.title}`,
    subject: `Everything on case ${d.reference} that ${s.callerName} may see, as on ${made}`,
    author: 'Compact Cases',
    lang: 'en-GB',
    footer: `${d.reference} case file, made on ${made} for ${s.callerName}. It holds personal information: keep it safe.`,
    blocks,
  };
}

function cover(s: CaseFileSource, made: string): PdfBlock[] {
  const d = s.detail;
  const reader = s.role === 'reporter' ? 'reporter' : 'other';
  const stage = s.role === 'reporter' ? REPORTER_STAGES[d.stage] : s.role === 'respondent' ? RESPONDENT_STAGES[d.stage] : stateName(d.state);
  const rows: Array<[string, string]> = [
    ['Reference', d.reference],
    ['Title', d.title],
    ['Reporting organisation', d.reportingOrganisation.name],
    ['Public body', d.respondent.name],
  ];
  if (s.compactName) rows.push(['Compact', s.compactName]);
  rows.push(['Where it stands', stage ?? humanise(d.stage)]);
  const outcome = outcomeWords(d.outcome, reader);
  if (outcome) rows.push(['Outcome', outcome]);
  rows.push(['Reported on', formatDate(d.submittedAt) ?? '']);
  if (d.closedAt) rows.push(['Closed on', formatDate(d.closedAt) ?? '']);
  if (d.assignee) rows.push(['Caseworker', d.assignee.name]);
  if (d.mediator) rows.push(['Mediator', d.mediator.name]);
  const who = `${s.callerName} (${ROLE_NAMES[s.role] ?? 'reader'})`;
  return [
    { kind: 'heading', level: 1, text: `Case file: ${d.reference}` },
    { kind: 'paragraph', text: d.title, style: 'strong' },
    { kind: 'keyValues', rows },
    { kind: 'paragraph', text: whereItStands(d.state, s.role) },
    { kind: 'heading', level: 2, text: 'About this file' },
    {
      kind: 'paragraph',
      text: `Made on ${made} for ${who}. It holds what ${s.callerName} may see on the case at that time, and nothing else${readerNote(s)}.`,
    },
    { kind: 'paragraph', text: 'Contents: the report; the commitments and what the rules found; the agreement and fee; deadlines; the timeline; notes; letters sent; documents.', style: 'small' },
  ];
}

function readerNote(s: CaseFileSource): string {
  switch (s.role) {
    case 'reporter':
      return ': there are no internal or mediator notes in it';
    case 'respondent':
      return s.detail.reporterNamed
        ? ': only what is shared with the public body'
        : ': only what is shared with the public body, and not who reported, as the reporting organisation asked';
    case 'mediator':
      return ": the caseworkers' internal notes are not in it";
    case 'caseworker':
      return ": the mediator's confidential notes are not in it";
    default:
      return '';
  }
}

function report(s: CaseFileSource): PdfBlock[] {
  const d = s.detail;
  const rows: Array<[string, string]> = [['What happened on', formatDate(d.happenedOn) ?? d.happenedOn]];
  if (s.reportedBy) rows.push(['Reported by', s.reportedBy.email ? `${s.reportedBy.name} (${s.reportedBy.email})` : s.reportedBy.name]);
  if (isStaff(s.role)) rows.push(['The public body may be told who reported', d.reporterNamed ? 'Yes' : 'No']);
  const contacts = d.namedContacts ?? [];
  if (contacts.length) {
    rows.push([
      'Public body contacts named on the case',
      contacts.map((c) => [c.name, c.jobTitle, c.email, c.active ? null : 'no longer a contact'].filter(Boolean).join(', ')).join('\n'),
    ]);
  }
  const facts = Object.entries(d.facts ?? {}).map(([key, value]): [string, string] => {
    const label = (REPORT_FACTS as Record<string, { label: string } | undefined>)[key]?.label;
    const said = typeof value === 'boolean' ? (value ? 'Yes' : 'No') : (formatDate(value) ?? String(value));
    return [label ? label.charAt(0).toUpperCase() + label.slice(1) : humanise(key), said];
  });
  return [
    { kind: 'heading', level: 2, text: 'The report' },
    { kind: 'keyValues', rows },
    { kind: 'heading', level: 3, text: 'What happened' },
    { kind: 'paragraph', text: d.whatHappened },
    { kind: 'heading', level: 3, text: 'The impact' },
    { kind: 'paragraph', text: d.impact },
    { kind: 'heading', level: 3, text: 'What the reporting organisation wants' },
    { kind: 'paragraph', text: d.desiredOutcome },
    ...(d.evidence ? [{ kind: 'heading', level: 3, text: 'Evidence described in the report' } as const, { kind: 'paragraph', text: d.evidence } as const] : []),
    ...(facts.length ? [{ kind: 'heading', level: 3, text: 'Facts given for the rules to check' } as const, { kind: 'keyValues', rows: facts } as const] : []),
  ];
}

function commitments(s: CaseFileSource): PdfBlock[] {
  const out: PdfBlock[] = [{ kind: 'heading', level: 2, text: 'The commitments and what the rules found' }];
  if (!s.commitments.length) out.push({ kind: 'paragraph', text: 'The report names no commitment.' });
  for (const c of s.commitments) {
    out.push({ kind: 'heading', level: 3, text: `Commitment ${c.reference}` }, { kind: 'paragraph', text: c.text });
    if (!s.showRuleFindings) continue;
    if (!c.rule) {
      out.push({ kind: 'paragraph', text: 'This commitment has no rule the facts can be checked against.', style: 'small' });
      continue;
    }
    const finding = evaluateRule(c.rule, s.detail.facts as never);
    const rule = c.rule.kind === 'minimum_period' ? `${c.rule.summary} (${describePeriod(c.rule.atLeast)})` : c.rule.summary;
    const found =
      finding.outcome === 'likely_breach'
        ? `Likely breach: ${finding.message}.`
        : finding.outcome === 'met'
          ? `Met: ${finding.message}.`
          : `Cannot be checked yet: the report does not give ${finding.missing.map((f) => REPORT_FACTS[f]?.label ?? humanise(f)).join('; ')}.`;
    out.push({ kind: 'keyValues', rows: [['The rule', rule], ['What the check found', found]] });
  }
  // The other points triage noted (not signed, out of time, related cases) are the caseworkers' own.
  const others = isStaff(s.role) ? (s.detail.triageHints ?? []).filter((h) => !['LIKELY_BREACH', 'RULE_MET', 'FACTS_MISSING'].includes(h.code)) : [];
  if (others.length) out.push({ kind: 'heading', level: 3, text: 'Other points from triage' }, { kind: 'list', items: others.map((h) => h.message) });
  return out;
}

function agreement(s: CaseFileSource): PdfBlock[] {
  const d = s.detail;
  const out: PdfBlock[] = [];
  if (d.agreedActions.length) {
    out.push({ kind: 'heading', level: 3, text: 'Agreed actions' }, { kind: 'list', items: d.agreedActions, numbered: true });
    if (d.monitorUntil) out.push({ kind: 'paragraph', text: `To be done by ${formatDate(d.monitorUntil)}.` });
  }
  if (d.fee) {
    const shares = feeShares({ amountPence: d.fee.amountPence, reporterSharePercent: d.fee.reporterSharePercent });
    const party = (share: number, agreed: boolean, paid: number) =>
      `${formatPence(share)}; ${agreed ? 'agreed' : 'not agreed yet'}; ${formatPence(paid)} paid`;
    out.push(
      { kind: 'heading', level: 3, text: 'Mediation fee' },
      {
        kind: 'keyValues',
        rows: d.fee.waived
          ? [['Fee', d.fee.amountPence > 0 ? `${formatPence(d.fee.amountPence)}, waived: nobody has to pay it` : 'Waived: nobody has to pay it']]
          : [
              ['Fee', formatPence(d.fee.amountPence) ?? ''],
              ["Reporting organisation's share", party(shares.reporter, d.fee.agreedByReporter, d.fee.paidByReporterPence)],
              ["Public body's share", party(shares.respondent, d.fee.agreedByRespondent, d.fee.paidByRespondentPence)],
            ],
      },
    );
  }
  if (d.session) {
    out.push({ kind: 'heading', level: 3, text: 'Mediation session' }, { kind: 'keyValues', rows: [['When', formatDateTime(d.session.startsAt) ?? ''], ['Where', d.session.location]] });
  }
  return out.length ? [{ kind: 'heading', level: 2, text: 'The agreement and fee' }, ...out] : [];
}

function deadlines(s: CaseFileSource): PdfBlock[] {
  const out: PdfBlock[] = [{ kind: 'heading', level: 2, text: 'Deadlines' }];
  if (!s.deadlines.length) return [...out, { kind: 'paragraph', text: 'No deadline has been set on this case.' }];
  out.push({
    kind: 'table',
    head: ['Deadline', 'Due', 'What became of it'],
    rows: s.deadlines.map((d) => [deadlineLabel(d.kind), d.dueAt ? (formatDateTime(d.dueAt) ?? '') : 'Not running', deadlineStatus(d)]),
  });
  return out;
}

function timeline(s: CaseFileSource): PdfBlock[] {
  const rows = s.timeline.map((t) => {
    const lines = [eventTitle(t.type, t.actorRole)];
    if (t.type === 'MESSAGE') {
      if (typeof t.details.body === 'string') lines.push(t.details.body);
      const audience = AUDIENCE_WORDS[String(t.details.audience)];
      if (audience && s.role !== 'reporter') lines.push(`Who can read it: ${audience}`);
    } else {
      for (const [key, value] of Object.entries(t.details)) {
        const line = detailLine(key, value, t.details, s.names);
        if (line) lines.push(line);
      }
    }
    return [formatDateTime(t.at) ?? '', whoActed(t.actorName, t.actorRole), lines.join('\n')];
  });
  return [
    { kind: 'heading', level: 2, text: 'Timeline' },
    rows.length ? { kind: 'table', head: ['When', 'Who', 'What happened'], rows } : { kind: 'paragraph', text: 'Nothing has happened on the case yet.' },
  ];
}

function notes(s: CaseFileSource): PdfBlock[] {
  const out: PdfBlock[] = [{ kind: 'heading', level: 2, text: 'Notes' }];
  if (!s.notes.length) return [...out, { kind: 'paragraph', text: 'There are no notes you may read on this case.' }];
  out.push({
    kind: 'table',
    head: ['Written', 'By', 'Note'],
    rows: s.notes.map((n) => [formatDateTime(n.createdAt) ?? '', n.authorName, `${n.body}\n${AUDIENCE_WORDS[n.visibility] ?? ''}`.trim()]),
  });
  return out;
}

function letters(s: CaseFileSource): PdfBlock[] {
  if (s.letters === null) return [];
  const out: PdfBlock[] = [{ kind: 'heading', level: 2, text: 'Letters sent' }];
  if (!s.letters.length) return [...out, { kind: 'paragraph', text: 'No letter has been sent on this case.' }];
  out.push({
    kind: 'table',
    head: ['Sent', 'Subject', 'From', 'To'],
    rows: s.letters.map((l) => [formatDate(l.sentAt) ?? '', l.subject, l.sentByName, `${l.recipients}${l.byEmail === false ? ' (kept to post or hand over)' : ''}`]),
  });
  return out;
}

function documents(s: CaseFileSource): PdfBlock[] {
  const out: PdfBlock[] = [{ kind: 'heading', level: 2, text: 'Documents' }];
  if (!s.evidence.length) return [...out, { kind: 'paragraph', text: 'There are no documents you may see on this case.' }];
  const staff = isStaff(s.role);
  out.push({
    kind: 'table',
    head: staff ? ['Document', 'Added', 'By', 'Size', 'Shared with the public body'] : ['Document', 'Added', 'By', 'Size'],
    rows: s.evidence.map((e) => {
      const name = e.description ? `${e.fileName}\n${e.description}` : e.fileName;
      const row = [name, formatDate(e.createdAt) ?? '', e.uploadedBy.name, fileSize(e.sizeBytes)];
      return staff ? [...row, e.sharedWithRespondent ? 'Yes' : 'No'] : row;
    }),
  });
  out.push({ kind: 'paragraph', text: 'The case file with documents (ZIP) holds each of these files in its documents folder.', style: 'small' });
  return out;
}
