import { type FieldError, isUuid } from '@cc/common';
import { REPORT_FACTS, ReportFactName, factProblems } from '@cc/registry';
import { breachCaseRules } from '@cc/workflows';
import {
  Problem,
  ReportDraft,
  TypedDate,
  capitalise,
  dtoProblems,
  factsForReport,
  inOrder,
  isoDate,
  list,
  reportFrom,
  sentenceFor,
  stepErrors,
  text,
  typedDate,
} from './report-draft';
import { NOT_LISTED, StepDeps, commitmentChoices, compactChoices, factQuestions, ownOrganisation, publicBodyChoices, searchText } from './report-step-views';

/*
 * The report-a-breach journey, one entry a step, in the order they are asked. A step says when it is
 * answered, when it is skipped, its pages (path, template, which of the report's fields each asks
 * for, what it shows and how it reads and checks the form posted), and the rows it gives the
 * check-your-answers page. ReportStepPages serves every page from this; nothing else knows a step.
 */

type Form = Record<string, unknown>;
/** What a page shows: from the draft when opened, or as typed when the form is refused. */
export type Shown = Record<string, unknown>;

/** A form posted to a step's page: another page to go to, refused (shown again with its problems), or answers to save. */
export type Answer<S extends Shown = Shown> = { goTo: string } | { refused: Problem[]; shown: S } | { changes: Partial<ReportDraft> };

export interface StepPage<S extends Shown = Shown> {
  path: string;
  template: string;
  /** The report's fields (their first part, as FileReport names them) asked here, so its problems on sending come back here. */
  fields: string[];
  /** A back link of its own, instead of the step before (or the check page when changing an answer). */
  backHref?: string;
  /** Whether the problems FileReport found on sending are shown beside the fields when the page is opened. */
  showsSubmitErrors: boolean;
  opened(draft: ReportDraft, query: Form): S;
  /** The template's context for what is shown, with what the registry adds; what is shown itself when left out. */
  view?(draft: ReportDraft, shown: S, deps: StepDeps): Promise<Shown> | Shown;
  answer(form: Form, before: ReportDraft, deps: StepDeps, change: boolean): Promise<Answer<S>>;
}

/** One row of the check page; the value is `text`, or a `date` (YYYY-MM-DD), `lines` with a `note`, or a `list`. */
export interface CheckRow {
  section: CheckSection;
  key: string;
  text?: string;
  date?: string;
  lines?: string[];
  note?: string;
  list?: string[];
  /** Text typed in a box of several lines, shown with its line breaks. */
  multiline?: boolean;
  change?: { href: string; hidden: string };
}

/** The check page's sections, in order, with their headings; a section with no rows is left out. */
const CHECK_SECTIONS = { who: 'Who and what', what: 'What happened', facts: 'Dates and details', impact: 'Impact and outcome' };
type CheckSection = keyof typeof CHECK_SECTIONS;

interface StepDefinition<N extends string> {
  name: N;
  complete(draft: ReportDraft): boolean;
  /** Not asked at all (it has nothing to ask): going back and on pass over it. */
  skipped?(draft: ReportDraft): boolean;
  pages: StepPage[];
  check(draft: ReportDraft, deps: StepDeps): CheckRow[] | Promise<CheckRow[]>;
}

/** Each page's own functions agree on what it shows; the table holds pages of different shapes. */
function page<S extends Shown>(definition: Omit<StepPage<S>, 'showsSubmitErrors'> & { showsSubmitErrors?: boolean }): StepPage {
  return { showsSubmitErrors: true, ...definition } as unknown as StepPage;
}

function step<N extends string>(definition: StepDefinition<N>): StepDefinition<N> {
  return definition;
}

/** A different body may not have signed the Compact chosen before: the Compact and what hangs on it are asked again. */
const afterBodyChanged: Partial<ReportDraft> = { compactId: undefined, compactName: undefined, commitments: undefined, factNames: undefined, facts: undefined, factsAnswered: undefined };
const afterCompactChanged: Partial<ReportDraft> = { commitments: undefined, factNames: undefined, facts: undefined, factsAnswered: undefined };

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const longDate = (iso: string) => LONG_DATE.format(new Date(`${iso}T12:00:00Z`));

export const REPORT_STEPS = [
  step({
    name: 'organisation',
    complete: (d) => d.organisationConfirmed === true,
    pages: [
      page({
        path: '/report/organisation',
        template: 'report/organisation.njk',
        fields: [],
        opened: () => ({}),
        view: async (_d, shown, deps) => ({ ...shown, organisation: await ownOrganisation(deps) }),
        answer: async () => ({ changes: { organisationConfirmed: true } }),
      }),
    ],
    check: async (_d, deps) => [{ section: 'who', key: 'Your organisation', text: (await ownOrganisation(deps))?.name }],
  }),

  step({
    name: 'public-body',
    complete: (d) => !!d.respondentId || !!d.unlistedBody,
    pages: [
      // From the registry...
      page<{ q: string; selected?: string }>({
        path: '/report/public-body',
        template: 'report/public-body.njk',
        fields: ['respondentId'],
        showsSubmitErrors: false,
        opened: (d, query) => ({ q: searchText(query.q), selected: d.unlistedBody ? NOT_LISTED : d.respondentId }),
        view: publicBodyChoices,
        async answer(form, before, deps, change) {
          const respondentId = text(form, 'respondentId');
          if (respondentId === NOT_LISTED) return { goTo: `/report/public-body/not-listed${change ? '?change=1' : ''}` };
          const found = respondentId && isUuid(respondentId) ? await deps.lookup.findOrganisation(respondentId) : null;
          const placeholder = found ? await deps.registry.unverifiedOrganisation(found.id) : null;
          if (!found || found.sector !== 'public' || placeholder) {
            const message = respondentId ? 'Select a public body from the list, or “It is not listed”' : 'Select the public body, or “It is not listed”';
            return { refused: [{ field: 'respondentId', text: message }], shown: { q: text(form, 'q'), selected: undefined } };
          }
          return { changes: { respondentId: found.id, respondentName: found.name, unlistedBody: undefined, ...(before.respondentId !== found.id ? afterBodyChanged : {}) } };
        },
      }),
      // ...or typed when it is not listed.
      page<{ values: Partial<{ name: string; area: string }> }>({
        path: '/report/public-body/not-listed',
        template: 'report/public-body-not-listed.njk',
        fields: ['unlistedRespondent'],
        backHref: '/report/public-body',
        opened: (d) => ({ values: d.unlistedBody ?? {} }),
        async answer(form, before) {
          const values = { name: text(form, 'name').replace(/\s+/g, ' '), area: text(form, 'area').replace(/\s+/g, ' ') };
          const problems: Problem[] = [];
          if (!values.name) problems.push({ field: 'unlistedRespondent.name', text: 'Enter the name of the public body' });
          if (!values.area) problems.push({ field: 'unlistedRespondent.area', text: 'Enter the area the public body serves, such as the town, district or county' });
          const found = new Set(problems.map((p) => p.field));
          const typed = { name: values.name || 'xx', area: values.area || 'xx' };
          for (const e of await dtoProblems({ unlistedRespondent: typed })) if (!found.has(e.field)) problems.push({ field: e.field, text: sentenceFor(e) });
          if (problems.length) return { refused: inOrder(problems, ['unlistedRespondent.name', 'unlistedRespondent.area']), shown: { values } };
          const changed = before.respondentId !== undefined || before.unlistedBody?.name !== values.name || before.unlistedBody?.area !== values.area;
          return { changes: { respondentId: undefined, respondentName: values.name, unlistedBody: values, ...(changed ? afterBodyChanged : {}) } };
        },
      }),
    ],
    check: (d) => [
      d.unlistedBody
        ? { section: 'who', key: 'Public body', lines: [d.unlistedBody.name, d.unlistedBody.area], note: 'Not in our list yet: a caseworker will find it', change: { href: '/report/public-body/not-listed?change=1', hidden: 'public body' } }
        : { section: 'who', key: 'Public body', lines: [d.respondentName ?? ''], change: { href: '/report/public-body?change=1', hidden: 'public body' } },
    ],
  }),

  step({
    name: 'compact',
    complete: (d) => !!d.compactId,
    pages: [
      page<{ q: string; all: boolean; selected?: string }>({
        path: '/report/compact',
        template: 'report/compact.njk',
        fields: ['compactId'],
        showsSubmitErrors: false,
        opened: (d, query) => ({ q: searchText(query.q), all: query.all === '1', selected: d.compactId }),
        view: compactChoices,
        async answer(form, before, deps, change) {
          const compactId = text(form, 'compactId');
          if (compactId === NOT_LISTED) return { goTo: `/report/compact?all=1${change ? '&change=1' : ''}` };
          const found = compactId && isUuid(compactId) ? await deps.lookup.findCompact(compactId) : null;
          if (!found) return { refused: [{ field: 'compactId', text: 'Select the Compact the public body broke' }], shown: { q: text(form, 'q'), all: form.all === '1', selected: undefined } };
          return { changes: { compactId: found.id, compactName: found.name, ...(before.compactId !== found.id ? afterCompactChanged : {}) } };
        },
      }),
    ],
    check: (d) => [{ section: 'who', key: 'Compact', text: d.compactName, change: { href: '/report/compact?change=1', hidden: 'Compact' } }],
  }),

  step({
    name: 'commitments',
    complete: (d) => !!d.commitments?.length,
    pages: [
      page<{ selected: string[] }>({
        path: '/report/commitments',
        template: 'report/commitments.njk',
        fields: ['commitments'],
        opened: (d) => ({ selected: d.commitments ?? [] }),
        view: commitmentChoices,
        async answer(form, before, deps) {
          const chosen = list(form, 'commitments');
          const all = (await deps.registry.commitments(before.compactId!)).filter((c) => c.binds !== 'voluntary');
          const known = chosen.filter((ref) => all.some((c) => c.reference === ref));
          const problems: Problem[] = [];
          if (known.length === 0) problems.push({ field: 'commitments', text: 'Select at least one commitment the public body broke' });
          else problems.push(...(await dtoProblems({ commitments: known })).map((e) => ({ field: 'commitments', text: sentenceFor({ ...e, field: 'commitments' }) })));
          if (problems.length) return { refused: problems, shown: { selected: chosen } };
          // The facts the chosen commitments' rules check; answers kept for those still asked.
          const order = Object.keys(REPORT_FACTS) as ReportFactName[];
          const checked = new Set(all.filter((c) => known.includes(c.reference)).flatMap((c) => c.factsChecked as ReportFactName[]));
          const factNames = order.filter((f) => checked.has(f));
          const facts = Object.fromEntries(Object.entries(before.facts ?? {}).filter(([name]) => checked.has(name as ReportFactName)));
          const newFacts = factNames.some((f) => !(before.factNames ?? []).includes(f));
          return { changes: { commitments: known, factNames, facts, ...(newFacts ? { factsAnswered: undefined } : {}) } };
        },
      }),
    ],
    async check(d, deps) {
      const commitments = d.compactId ? await deps.registry.commitments(d.compactId).catch(() => []) : [];
      const chosen = (d.commitments ?? []).map((ref) => {
        const c = commitments.find((k) => k.reference === ref);
        return c ? `${c.reference}: ${c.text}` : ref;
      });
      return [{ section: 'who', key: 'Commitments broken', list: chosen, change: { href: '/report/commitments?change=1', hidden: 'commitments broken' } }];
    },
  }),

  step({
    name: 'what-happened',
    complete: (d) => !!(d.title && d.whatHappened && d.happenedOn),
    pages: [
      page<{ values: Pick<ReportDraft, 'title' | 'whatHappened' | 'happenedOn'> }>({
        path: '/report/what-happened',
        template: 'report/what-happened.njk',
        fields: ['title', 'whatHappened', 'happenedOn'],
        opened: (d) => ({ values: { title: d.title, whatHappened: d.whatHappened, happenedOn: d.happenedOn } }),
        async answer(form) {
          const values = { title: text(form, 'title'), whatHappened: text(form, 'whatHappened'), happenedOn: typedDate(form, 'happenedOn') };
          const problems: Problem[] = [];
          if (!values.title) problems.push({ field: 'title', text: 'Enter a short title for the breach' });
          if (!values.whatHappened) problems.push({ field: 'whatHappened', text: 'Enter what the public body did or did not do' });
          const happenedOn = isoDate(values.happenedOn);
          if (happenedOn === 'blank') problems.push({ field: 'happenedOn', text: 'Enter the date it happened' });
          else if (happenedOn === 'incomplete') problems.push({ field: 'happenedOn', text: 'The date it happened must include a day, month and year' });
          else if (happenedOn === 'invalid') problems.push({ field: 'happenedOn', text: 'The date it happened must be a real date, for example 27 3 2026' });
          // The API's own rule (not in the future, not before the first Compact), said here in words.
          else if (!breachCaseRules.breachDateSensible(happenedOn, new Date().toISOString())) {
            problems.push({
              field: 'happenedOn',
              text: happenedOn > breachCaseRules.EARLIEST_BREACH_DATE ? 'The date it happened must be today or in the past' : `The date it happened must be on or after ${longDate(breachCaseRules.EARLIEST_BREACH_DATE)}, when the first Compact was agreed`,
            });
          }
          const typed = { ...(values.title ? { title: values.title } : {}), ...(values.whatHappened ? { whatHappened: values.whatHappened } : {}) };
          const found = new Set(problems.map((p) => p.field));
          for (const e of await dtoProblems(typed)) if (!found.has(e.field)) problems.push({ field: e.field, text: sentenceFor(e) });
          if (problems.length) return { refused: inOrder(problems, ['title', 'whatHappened', 'happenedOn']), shown: { values } };
          return { changes: values };
        },
      }),
    ],
    check: (d) => [
      { section: 'what', key: 'Title', text: d.title, change: { href: '/report/what-happened?change=1#title', hidden: 'title' } },
      { section: 'what', key: 'What happened', text: d.whatHappened, multiline: true, change: { href: '/report/what-happened?change=1#whatHappened', hidden: 'what happened' } },
      { section: 'what', key: 'When it happened', date: reportFrom(d).happenedOn || undefined, text: 'Not given', change: { href: '/report/what-happened?change=1#happenedOn-day', hidden: 'when it happened' } },
    ],
  }),

  step({
    name: 'facts',
    // Complete by itself when no rule of the commitments chosen checks a fact.
    complete: (d) => !d.factNames?.length || d.factsAnswered === true,
    skipped: (d) => !d.factNames?.length,
    pages: [
      page<{ values: Record<string, TypedDate | string> }>({
        path: '/report/facts',
        template: 'report/facts.njk',
        fields: ['facts'],
        opened: (d) => ({ values: d.facts ?? {} }),
        view: (d, shown) => ({ questions: factQuestions(d, shown.values) }),
        async answer(form, before) {
          const facts: Record<string, TypedDate | string> = {};
          const problems: Problem[] = [];
          for (const name of before.factNames ?? []) {
            const fact = REPORT_FACTS[name];
            if (fact.type === 'date') {
              const typed = typedDate(form, name);
              facts[name] = typed;
              const iso = isoDate(typed);
              if (iso === 'incomplete') problems.push({ field: `facts.${name}`, text: `${capitalise(fact.label)} must include a day, month and year, or leave it blank if you do not know` });
              else if (iso === 'invalid') problems.push({ field: `facts.${name}`, text: `${capitalise(fact.label)} must be a real date, for example 27 3 2026` });
            } else {
              const answer = text(form, name);
              facts[name] = ['yes', 'no', 'unknown'].includes(answer) ? answer : '';
              if (!facts[name]) problems.push({ field: `facts.${name}`, text: `Select yes, no or I do not know for whether ${fact.label}` });
            }
          }
          if (problems.length === 0) {
            // The registry's own checks of the facts (for example a closing date before the opening date).
            for (const e of factProblems(factsForReport({ ...before, facts }))) problems.push({ field: e.field, text: sentenceFor(e) });
          }
          if (problems.length) return { refused: problems, shown: { values: facts } };
          return { changes: { facts, factsAnswered: true } };
        },
      }),
    ],
    check: (d) =>
      (d.factNames ?? []).map((name) => {
        const fact = REPORT_FACTS[name];
        const value = d.facts?.[name];
        const iso = fact.type === 'date' ? isoDate(value as TypedDate | undefined) : 'blank';
        const known = iso !== 'blank' && iso !== 'incomplete' && iso !== 'invalid';
        const shown = fact.type === 'date' ? (known ? iso : 'Not known') : value === 'yes' ? 'Yes' : value === 'no' ? 'No' : 'Not known';
        const label = capitalise(fact.label);
        return { section: 'facts', key: label, ...(/^\d{4}-/.test(shown) ? { date: shown } : { text: shown }), change: { href: '/report/facts?change=1', hidden: label } };
      }),
  }),

  step({
    name: 'impact',
    complete: (d) => !!(d.impact && d.desiredOutcome),
    pages: [
      page<{ values: Pick<ReportDraft, 'impact' | 'desiredOutcome'> }>({
        path: '/report/impact',
        template: 'report/impact.njk',
        fields: ['impact', 'desiredOutcome'],
        opened: (d) => ({ values: { impact: d.impact, desiredOutcome: d.desiredOutcome } }),
        async answer(form) {
          const values = { impact: text(form, 'impact'), desiredOutcome: text(form, 'desiredOutcome') };
          const problems: Problem[] = [];
          if (!values.impact) problems.push({ field: 'impact', text: 'Enter the impact on your organisation and the people it serves' });
          if (!values.desiredOutcome) problems.push({ field: 'desiredOutcome', text: 'Enter what you would like to happen' });
          const found = new Set(problems.map((p) => p.field));
          const typed = Object.fromEntries(Object.entries(values).filter(([, v]) => v));
          for (const e of await dtoProblems(typed)) if (!found.has(e.field)) problems.push({ field: e.field, text: sentenceFor(e) });
          if (problems.length) return { refused: inOrder(problems, ['impact', 'desiredOutcome']), shown: { values } };
          return { changes: values };
        },
      }),
    ],
    check: (d) => [
      { section: 'impact', key: 'Impact', text: d.impact, multiline: true, change: { href: '/report/impact?change=1#impact', hidden: 'impact' } },
      { section: 'impact', key: 'Outcome you want', text: d.desiredOutcome, multiline: true, change: { href: '/report/impact?change=1#desiredOutcome', hidden: 'outcome you want' } },
    ],
  }),

  step({
    name: 'tell-public-body',
    complete: (d) => typeof d.reporterMayBeNamed === 'boolean',
    pages: [
      page<{ value?: string }>({
        path: '/report/tell-public-body',
        template: 'report/naming.njk',
        fields: ['reporterMayBeNamed'],
        opened: (d) => ({ value: d.reporterMayBeNamed === undefined ? undefined : d.reporterMayBeNamed ? 'yes' : 'no' }),
        // How the public body would see the reporter: "a voluntary organisation in <their area>".
        view: async (_d, shown, deps) => ({ ...shown, area: (await ownOrganisation(deps))?.area ?? null }),
        async answer(form) {
          const value = text(form, 'reporterMayBeNamed');
          if (value !== 'yes' && value !== 'no') {
            return { refused: [{ field: 'reporterMayBeNamed', text: 'Select yes if the public body may be told your organisation made this report' }], shown: { value: undefined } };
          }
          return { changes: { reporterMayBeNamed: value === 'yes' } };
        },
      }),
    ],
    check: (d) => [
      {
        section: 'who',
        key: 'Public body may be told who reported',
        ...(d.reporterMayBeNamed === false ? { lines: ['No'], note: 'It will be told only that the report is from a voluntary organisation in your area' } : { text: 'Yes' }),
        change: { href: '/report/tell-public-body?change=1', hidden: 'whether the public body may be told who reported' },
      },
    ],
  }),

  step({
    name: 'evidence',
    complete: (d) => d.evidenceAnswered === true,
    pages: [
      // Documents are added by the page's own multipart form (ReportEvidenceController); this takes the description alone.
      page<{ values: { evidence?: string } }>({
        path: '/report/evidence',
        template: 'report/evidence.njk',
        fields: ['evidence'],
        opened: (d) => ({ values: { evidence: d.evidence } }),
        // The page's form posts elsewhere; a lapsed session comes back here.
        view: async (d, shown, deps) => ({ returnPath: '/report/evidence', held: await deps.upload.held(deps.caller, d.heldEvidenceIds ?? []), ...shown }),
        answer: (form) => describedEvidence(text(form, 'evidence'), true),
      }),
    ],
    async check(d, deps) {
      const documents = await deps.upload.held(deps.caller, d.heldEvidenceIds ?? []);
      return [
        { section: 'impact', key: 'Documents', text: documents.map((e) => e.fileName).join('\n') || 'None added', multiline: true, change: { href: '/report/evidence?change=1', hidden: 'documents' } },
        { section: 'impact', key: 'Evidence you hold', text: d.evidence || 'None described', multiline: true, change: { href: '/report/evidence?change=1', hidden: 'evidence you hold' } },
      ];
    },
  }),
] as const;

export type Step = (typeof REPORT_STEPS)[number]['name'];
export type ReportStep = StepDefinition<Step>;
export const STEPS: Step[] = REPORT_STEPS.map((s) => s.name);

const stepNamed = (name: Step): ReportStep => REPORT_STEPS.find((s) => s.name === name)!;
const firstPath = (name: Step) => stepNamed(name).pages[0].path;

/** The evidence step's one page, which its upload form shows too. */
export const EVIDENCE_PAGE = stepNamed('evidence').pages[0];

/**
 * The description of other evidence held, checked as the API checks it. Saved either way by the
 * upload form; `answered` (Continue, or this page's own post) marks the step done.
 */
export async function describedEvidence(evidence: string, answered: boolean): Promise<{ refused: Problem[]; shown: { values: { evidence: string } } } | { changes: Partial<ReportDraft> }> {
  const problems = evidence ? (await dtoProblems({ evidence })).map((e) => ({ field: e.field, text: sentenceFor(e) })) : [];
  if (problems.length) return { refused: problems, shown: { values: { evidence } } };
  return { changes: { evidence: evidence || undefined, ...(answered ? { evidenceAnswered: true } : {}) } };
}

/** Every page of every step, with its step, for the controller to route. */
export const STEP_PAGES: Array<{ step: Step; page: StepPage }> = REPORT_STEPS.flatMap((s) => s.pages.map((p) => ({ step: s.name, page: p })));

/** The page a route serves (a route ends with its page's path: the pages are served under a prefix). */
export function stepPageAt(route: string): { step: Step; page: StepPage } {
  const found = STEP_PAGES.find(({ page: p }) => route.endsWith(p.path));
  if (!found) throw new Error(`No report step page at ${route}`);
  return found;
}

export function stepComplete(draft: ReportDraft, name: Step): boolean {
  return stepNamed(name).complete(draft);
}

export function stepSkipped(draft: ReportDraft, name: Step): boolean {
  return stepNamed(name).skipped?.(draft) ?? false;
}

/** The first step still to answer, or null when the draft is ready to check. */
export function firstIncomplete(draft: ReportDraft): Step | null {
  return REPORT_STEPS.find((s) => !s.complete(draft))?.name ?? null;
}

/** The first step before this one still to answer: a step opened before those it depends on sends the reporter there. */
export function missingBefore(draft: ReportDraft, name: Step): Step | null {
  return STEPS.slice(0, STEPS.indexOf(name)).find((s) => !stepComplete(draft, s)) ?? null;
}

/** The step before this one, passing over those skipped. */
export function previousStep(draft: ReportDraft, name: Step): string {
  const before = REPORT_STEPS.slice(0, STEPS.indexOf(name)).filter((s) => !s.skipped?.(draft));
  return before.length ? firstPath(before[before.length - 1].name) : '/report';
}

/** Where a step goes once answered: on to the next step, or back to the check page when changing an answer. */
export function nextAfter(draft: ReportDraft, name: Step, changing: boolean): string {
  if (changing) {
    const missing = firstIncomplete(draft);
    return missing ? `${firstPath(missing)}?change=1` : '/report/check';
  }
  const next = REPORT_STEPS.slice(STEPS.indexOf(name) + 1).find((s) => !s.skipped?.(draft));
  return next ? firstPath(next.name) : '/report/check';
}

/** The page that asks for a field FileReport names (e.g. "commitments.0", "facts.consultationOpenedOn"); anything else, the last. */
function pageAskingFor(field: string): { step: Step; page: StepPage } {
  const head = field.split('.')[0];
  return STEP_PAGES.find(({ page: p }) => p.fields.includes(head)) ?? STEP_PAGES[STEP_PAGES.length - 1];
}

export function stepForField(field: string): Step {
  return pageAskingFor(field).step;
}

/** The page that asks for a field, as a link from the check page's error summary. */
export function pageForField(field: string): string {
  return pageAskingFor(field).page.path;
}

/** The problems found on sending, less those of a step just answered again. */
export function withoutStep(errors: FieldError[] | undefined, name: Step): FieldError[] | undefined {
  const left = (errors ?? []).filter((e) => stepForField(e.field) !== name);
  return left.length ? left : undefined;
}

/** Problems the use case found at submission that belong to this step, shown beside its fields. */
export function submitErrorsFor(draft: ReportDraft, name: Step): Form {
  const mine = (draft.submitErrors ?? []).filter((e) => stepForField(e.field) === name);
  return mine.length ? stepErrors(mine.map((e) => ({ field: e.field, text: sentenceFor(e) }))) : {};
}

/** The check page's back link: the last step. */
export const CHECK_BACK_HREF = firstPath(STEPS[STEPS.length - 1]);

/** The check page: every step's rows, by section. */
export async function checkSections(draft: ReportDraft, deps: StepDeps): Promise<Array<{ id: string; title: string; rows: CheckRow[] }>> {
  const rows: CheckRow[] = [];
  for (const s of REPORT_STEPS) rows.push(...(await s.check(draft, deps)));
  return Object.entries(CHECK_SECTIONS)
    .map(([section, title]) => ({ id: `summary-${section}`, title, rows: rows.filter((r) => r.section === section) }))
    .filter((s) => s.rows.length > 0);
}
