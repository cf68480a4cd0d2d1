import type { Caller } from '@cc/identity';
import type { UploadEvidence } from '@cc/evidence';
import { CompactSummary, REPORT_FACTS, RegistryLookup, RegistryQueries, ReportFactName } from '@cc/registry';
import { ReportDraft, TypedDate, capitalise } from './report-draft';

/** What the steps read besides the draft: the registry, the documents held, and who is reporting. */
export interface StepDeps {
  registry: RegistryQueries;
  lookup: RegistryLookup;
  upload: UploadEvidence;
  caller: Caller;
}

const SEARCH_LIMIT = 25;
/** The radio that leads to the "it is not listed" route, on the public body and Compact steps. */
export const NOT_LISTED = 'not-listed';

/** A search typed into a GET form, as the page shows it again. */
export function searchText(q: unknown): string {
  return typeof q === 'string' ? q.trim().slice(0, 200) : '';
}

/** Plain questions for the registry's facts; a fact added later is asked with its registry label. */
const FACT_QUESTIONS: Partial<Record<ReportFactName, string>> = {
  consultationOpenedOn: 'When did the consultation open?',
  consultationClosedOn: 'When did the consultation close?',
  shorterConsultationRationaleGiven: 'Did the public body give a reason for a consultation shorter than the Compact asks?',
  fundingNoticeGivenOn: 'When was notice of the funding change given?',
  fundingChangeEffectiveOn: 'When does the funding change take effect?',
  fundingNoticeInWriting: 'Was the notice of the funding change given in writing?',
  fundingChangeRationaleGiven: 'Did the public body give a reason for the funding change?',
  impactAssessed: 'Did the public body assess the impact before deciding?',
};

/** A Compact's status in words (the registry keeps codes). */
const COMPACT_STATUS_WORDS: Record<string, string> = { archived: 'No longer in force', under_review: 'Under review', draft: 'Draft, not yet adopted' };

export function ownOrganisation(deps: StepDeps) {
  return deps.caller.organisationId ? deps.lookup.findOrganisation(deps.caller.organisationId) : Promise.resolve(null);
}

/** The public bodies offered: those searched for, or those of the reporter's own area; the one chosen always among them. */
export async function publicBodyChoices(draft: ReportDraft, shown: { q: string; selected?: string }, deps: StepDeps) {
  const own = await ownOrganisation(deps);
  const searched = shown.q !== '';
  let bodies = await deps.registry.searchOrganisations(
    searched ? { q: shown.q, sector: 'public', limit: SEARCH_LIMIT } : { sector: 'public', area: own?.area ?? undefined, limit: SEARCH_LIMIT },
  );
  if (!searched && bodies.length === 0) bodies = await deps.registry.searchOrganisations({ sector: 'public', limit: SEARCH_LIMIT });
  if (shown.selected && shown.selected !== NOT_LISTED && !bodies.some((b) => b.id === shown.selected)) {
    const chosen = await deps.lookup.findOrganisation(shown.selected);
    if (chosen) bodies.unshift({ id: chosen.id, name: chosen.name, sector: chosen.sector, bodyType: chosen.bodyType, bodyTypeLabel: null, area: chosen.area, charityNumber: null, website: null });
  }
  return { ...shown, searched, area: own?.area, bodies, notListed: NOT_LISTED, unlistedBody: draft.unlistedBody };
}

/** The Compacts offered: those the body signed, with "it is not listed" leading to all of them. */
export async function compactChoices(draft: ReportDraft, shown: { q: string; all: boolean; selected?: string }, deps: StepDeps) {
  const body = draft.respondentId ? await deps.lookup.findOrganisation(draft.respondentId) : null;
  const area = body?.area ?? draft.unlistedBody?.area ?? null;
  const signed = draft.respondentId ? await deps.registry.signedCompacts(draft.respondentId) : [];
  const signedIds = new Set(signed.map((c) => c.id));
  // Only what the body signed, unless there is none, the reporter said theirs is not listed, or searched.
  const showAll = signed.length === 0 || shown.all || shown.q !== '' || (!!shown.selected && !signedIds.has(shown.selected));
  const searched = showAll && shown.q !== '';
  let compacts: CompactSummary[];
  if (!showAll) compacts = signed;
  else if (searched) compacts = await deps.registry.searchCompacts({ q: shown.q, limit: SEARCH_LIMIT });
  else {
    // The Compacts the body signed, then the national ones and those of its area.
    const local = await deps.registry.searchCompacts({ area: area ?? undefined, limit: SEARCH_LIMIT });
    compacts = [...signed, ...local.filter((c) => !signedIds.has(c.id) && (c.scope === 'national' || !area || c.area?.toLowerCase() === area.toLowerCase()))];
  }
  if (shown.selected && !compacts.some((c) => c.id === shown.selected)) {
    const chosen = await deps.lookup.findCompact(shown.selected);
    if (chosen) compacts.unshift({ id: chosen.id, name: chosen.name, scope: chosen.scope, area: chosen.area, status: chosen.status } as CompactSummary);
  }
  const options: Array<Record<string, unknown>> = compacts.map((c) => ({
    value: c.id,
    text: c.name,
    checked: c.id === shown.selected,
    hint: [
      showAll && signedIds.has(c.id) ? `Signed by ${draft.respondentName}` : null,
      c.scope === 'national' ? 'National Compact' : c.area ? `Local Compact for ${c.area}` : null,
      COMPACT_STATUS_WORDS[c.status] ?? null,
    ]
      .filter(Boolean)
      .join('. '),
  }));
  if (!showAll) options.push({ divider: 'or' }, { value: NOT_LISTED, text: 'It is not listed', hint: `The Compact ${draft.respondentName} broke is not one of these` });
  const why = draft.unlistedBody ? 'unlisted' : signed.length === 0 ? 'none-signed' : showAll ? 'not-listed' : 'signed';
  return { ...shown, showAll, searched, why, area, respondentName: draft.respondentName, options, signedCount: signed.length };
}

/** The commitments offered: only those the public body made (the voluntary sector's own cannot be broken by it), by section. */
export async function commitmentChoices(draft: ReportDraft, shown: { selected: string[] }, deps: StepDeps) {
  const compact = await deps.registry.compact(draft.compactId!);
  const titles = new Map(compact.sections.map((s) => [s.code, s.title]));
  type Item = { value: string; text: string; id: string; hint?: { text: string }; checked: boolean };
  const groups: Array<{ code: string; title: string; idPrefix: string; items: Item[] }> = [];
  let n = 0;
  for (const c of compact.commitments.filter((k) => k.binds !== 'voluntary')) {
    const code = c.sectionCode ?? '';
    let group = groups.find((g) => g.code === code);
    if (!group) groups.push((group = { code, title: titles.get(code) ?? (code ? `Section ${code}` : 'Other commitments'), idPrefix: `commitments-section-${groups.length + 1}`, items: [] }));
    n += 1;
    // Ids numbered across the whole page (the macro numbers per call, and they repeated from section to
    // section); the first is "commitments", where the error summary links.
    group.items.push({
      value: c.reference,
      text: `${c.reference}: ${c.text}`,
      id: n === 1 ? 'commitments' : `commitments-${n}`,
      ...(c.binds === 'both' ? { hint: { text: 'A commitment of both sides: the public body and the voluntary sector' } } : {}),
      checked: shown.selected.includes(c.reference),
    });
  }
  const voluntaryLeftOut = compact.commitments.some((k) => k.binds === 'voluntary');
  return { ...shown, compactName: compact.name, groups, voluntaryLeftOut, respondentName: draft.respondentName };
}

/** The facts the chosen commitments' rules check, as questions, with the answers shown. */
export function factQuestions(draft: ReportDraft, values: Record<string, TypedDate | string>) {
  return (draft.factNames ?? []).map((name) => ({
    name,
    type: REPORT_FACTS[name].type,
    label: REPORT_FACTS[name].label,
    question: FACT_QUESTIONS[name] ?? (REPORT_FACTS[name].type === 'date' ? capitalise(REPORT_FACTS[name].label) : `Is this so: ${REPORT_FACTS[name].label}?`),
    value: values[name],
    field: `facts.${name}`,
    id: `facts-${name}`,
  }));
}
