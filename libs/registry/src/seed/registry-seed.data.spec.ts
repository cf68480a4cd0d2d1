import { REPORT_FACTS, ReportFactName, ruleProblems } from '../rules/commitment-rule';
import { SEED_COMPACTS, SEED_ORGANISATIONS } from './registry-seed.data';
import type { CompactDefinition, OrganisationDefinition } from './registry-seed.types';

/**
 * Integrity of the seed registry. Each check is a function of the data that returns its problems,
 * so every check is run twice: on the seed (no problems) and on a copy broken on purpose (the
 * problem is found), which shows the check can fail.
 */

type Seed = { organisations: OrganisationDefinition[]; compacts: CompactDefinition[] };
type Check = (seed: Seed) => string[];

const duplicates = (values: string[]) => values.filter((v, i) => values.findIndex((w) => w.toLowerCase() === v.toLowerCase()) !== i);

const organisationNamesUnique: Check = ({ organisations }) => duplicates(organisations.map((o) => o.name)).map((n) => `organisation "${n}" is listed twice`);

const compactNamesUnique: Check = ({ compacts }) => duplicates(compacts.map((c) => c.name)).map((n) => `Compact "${n}" is listed twice`);

const sectionCodesUnique: Check = ({ compacts }) =>
  compacts.flatMap((c) => duplicates(c.sections.map((s) => s.code)).map((code) => `${c.name}: section code "${code}" repeats`));

const commitmentReferencesUnique: Check = ({ compacts }) =>
  compacts.flatMap((c) => duplicates(c.commitments.map((m) => m.reference)).map((ref) => `${c.name}: reference "${ref}" repeats`));

const commitmentSectionsExist: Check = ({ compacts }) =>
  compacts.flatMap((c) => {
    const codes = new Set(c.sections.map((s) => s.code));
    return c.commitments.filter((m) => !codes.has(m.section)).map((m) => `${c.name}: ${m.reference} names missing section "${m.section}"`);
  });

const factOfType = (name: unknown, type: 'date' | 'boolean') =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(REPORT_FACTS, name) && REPORT_FACTS[name as ReportFactName].type === type;

const rulesNameKnownFacts: Check = ({ compacts }) =>
  compacts.flatMap((c) =>
    c.commitments.flatMap((m) => {
      const rule = m.rule as Record<string, unknown> | undefined;
      if (!rule) return [];
      const at = `${c.name}: ${m.reference}`;
      const problems: string[] = [];
      if (rule.kind === 'minimum_period') {
        if (!factOfType(rule.from, 'date')) problems.push(`${at}: from "${String(rule.from)}" is not a date fact`);
        if (!factOfType(rule.to, 'date')) problems.push(`${at}: to "${String(rule.to)}" is not a date fact`);
        if (rule.unless !== undefined && !factOfType(rule.unless, 'boolean')) problems.push(`${at}: unless "${String(rule.unless)}" is not a yes/no fact`);
      } else if (rule.kind === 'must_be_true') {
        if (!factOfType(rule.fact, 'boolean')) problems.push(`${at}: fact "${String(rule.fact)}" is not a yes/no fact`);
      } else {
        problems.push(`${at}: unknown rule kind "${String(rule.kind)}"`);
      }
      // The same check an administrator's edit or import goes through (summary length, periods, stray keys).
      problems.push(...ruleProblems(rule).map((p) => `${at}: ${p}`));
      return problems;
    }),
  );

const localCompactsHaveArea: Check = ({ compacts }) =>
  compacts.flatMap((c) => {
    if (c.scope === 'local' && !c.area?.trim()) return [`${c.name}: a local Compact needs an area`];
    if (c.scope === 'national' && c.area) return [`${c.name}: a national Compact has no area`];
    return [];
  });

const bodyTypesMatchSector: Check = ({ organisations }) =>
  organisations.flatMap((o) => {
    if (o.sector === 'public' && !o.bodyType) return [`${o.name}: a public body needs a bodyType`];
    if (o.sector === 'voluntary' && o.bodyType !== undefined) return [`${o.name}: a voluntary organisation has no bodyType`];
    return [];
  });

const noInventedCharityNumbers: Check = ({ organisations }) =>
  organisations.filter((o) => o.charityNumber !== undefined).map((o) => `${o.name}: charity numbers are not seeded`);

const namedOrganisationsExist: Check = ({ organisations, compacts }) => {
  const names = new Set(organisations.map((o) => o.name));
  return compacts.flatMap((c) => [
    ...(c.signatories ?? []).filter((s) => !names.has(s.organisation)).map((s) => `${c.name}: signatory "${s.organisation}" is not seeded`),
    ...(c.leadContacts ?? []).filter((l) => l.organisation !== undefined && !names.has(l.organisation)).map((l) => `${c.name}: lead contact organisation "${l.organisation}" is not seeded`),
  ]);
};

const leadContactsOnePerSector: Check = ({ organisations, compacts }) =>
  compacts.flatMap((c) => {
    const sectors = (c.leadContacts ?? []).map((l) => l.sector);
    const problems = duplicates(sectors).map((s) => `${c.name}: more than one ${s} lead contact`);
    for (const l of c.leadContacts ?? []) {
      const org = organisations.find((o) => o.name === l.organisation);
      if (org && org.sector !== l.sector) problems.push(`${c.name}: ${l.sector} lead contact belongs to ${org.sector} organisation "${org.name}"`);
    }
    return problems;
  });

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const realDate = (v: string) => ISO_DATE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;

const fitsImportLimits: Check = ({ organisations, compacts }) => {
  const problems: string[] = [];
  const text = (value: string | undefined, max: number, what: string, required = true) => {
    if (value === undefined) {
      if (required) problems.push(`${what} is missing`);
    } else if (value.trim().length === 0 || value.length > max || value !== value.trim()) {
      problems.push(`${what} must be 1 to ${max} characters without surrounding spaces`);
    }
  };
  for (const o of organisations) {
    text(o.name, 200, `organisation "${o.name}" name`);
    if (o.website !== undefined && !/^https:\/\/[^\s]+$/.test(o.website)) problems.push(`${o.name}: website must be an https address`);
  }
  for (const c of compacts) {
    text(c.name, 200, `Compact "${c.name}" name`);
    text(c.area, 120, `${c.name}: area`, false);
    text(c.summary, 2000, `${c.name}: summary`, false);
    if (c.adoptedOn !== undefined && !realDate(c.adoptedOn)) problems.push(`${c.name}: adoptedOn is not a YYYY-MM-DD date`);
    if (c.sourceUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(c.sourceUrl)) problems.push(`${c.name}: sourceUrl is not a web address`);
    for (const s of c.sections) {
      text(s.code, 20, `${c.name}: section code "${s.code}"`);
      text(s.title, 300, `${c.name}: section ${s.code} title`);
    }
    for (const m of c.commitments) {
      text(m.reference, 20, `${c.name}: reference "${m.reference}"`);
      text(m.text, 4000, `${c.name}: ${m.reference} text`);
    }
    for (const s of c.signatories ?? []) if (s.signedOn !== undefined && !realDate(s.signedOn)) problems.push(`${c.name}: ${s.organisation} signedOn is not a date`);
    for (const l of c.leadContacts ?? []) text(l.name, 200, `${c.name}: ${l.sector} lead contact name`);
  }
  return problems;
};

const REQUIRED_ORGANISATIONS: Array<Pick<OrganisationDefinition, 'name' | 'sector' | 'bodyType' | 'area'>> = [
  { name: 'Riverside Community Foodbank', sector: 'voluntary', area: 'Harborough' },
  { name: 'Harborough Carers Support', sector: 'voluntary', area: 'Harborough' },
  { name: 'Harborough District Council', sector: 'public', bodyType: 'council', area: 'Harborough' },
  { name: 'NHS Leicester, Leicestershire and Rutland ICB', sector: 'public', bodyType: 'nhs', area: 'Leicestershire' },
  { name: 'Leicestershire Police', sector: 'public', bodyType: 'police', area: 'Leicestershire' },
];

/** Names the demo data and other code match exactly, with the fields they rely on. */
const requiredOrganisationsPresent: Check = ({ organisations }) =>
  REQUIRED_ORGANISATIONS.flatMap((want) => {
    const found = organisations.find((o) => o.name === want.name);
    if (!found) return [`required organisation "${want.name}" is missing`];
    const wrong = (['sector', 'bodyType', 'area'] as const).filter((k) => found[k] !== want[k]);
    return wrong.map((k) => `"${want.name}": ${k} is ${String(found[k])}, expected ${String(want[k])}`);
  });

const requiredCompactsPresent: Check = ({ compacts }) => {
  const problems: string[] = [];
  const find = (name: string) => compacts.find((c) => c.name === name);

  const national = find('The Compact (2010)');
  if (!national) problems.push('"The Compact (2010)" is missing');
  else {
    if (national.scope !== 'national' || national.status !== 'active' || national.adoptedOn !== '2010-12-15') problems.push('The Compact (2010): national, active, adopted 2010-12-15 expected');
    const codes = national.sections.map((s) => `${s.code}:${s.kind}`).join(',');
    if (codes !== '1:outcome,2:outcome,3:outcome,4:outcome,5:outcome') problems.push(`The Compact (2010): outcome sections 1 to 5 expected, got ${codes}`);
    const byRef = (ref: string) => national.commitments.find((m) => m.reference === ref);
    const consultation = byRef('2.4');
    const r24 = consultation?.rule;
    if (!consultation || consultation.section !== '2' || consultation.binds !== 'public') problems.push('The Compact (2010): 2.4 (public, section 2) missing');
    else if (
      r24?.kind !== 'minimum_period' ||
      r24.from !== 'consultationOpenedOn' ||
      r24.to !== 'consultationClosedOn' ||
      r24.atLeast.weeks !== 12 ||
      r24.atLeast.months !== undefined ||
      r24.atLeast.days !== undefined ||
      r24.unless !== 'shorterConsultationRationaleGiven'
    ) {
      problems.push('The Compact (2010): 2.4 must have the 12-week consultation rule');
    }
    const notice = byRef('4.5');
    const r45 = notice?.rule;
    if (!notice || notice.section !== '4' || notice.binds !== 'public') problems.push('The Compact (2010): 4.5 (public, section 4) missing');
    else if (
      r45?.kind !== 'minimum_period' ||
      r45.from !== 'fundingNoticeGivenOn' ||
      r45.to !== 'fundingChangeEffectiveOn' ||
      r45.atLeast.months !== 3 ||
      r45.atLeast.weeks !== undefined ||
      r45.atLeast.days !== undefined ||
      r45.unless !== undefined
    ) {
      problems.push("The Compact (2010): 4.5 must have the three months' notice rule");
    }
    const impact = national.commitments.find((m) => m.section === '4' && m.rule?.kind === 'must_be_true' && m.rule.fact === 'impactAssessed');
    if (!impact) problems.push('The Compact (2010): a section 4 commitment with the impactAssessed rule is missing');
    const signatories = (national.signatories ?? []).map((s) => s.organisation);
    for (const dept of ['Cabinet Office', 'Department for Culture, Media and Sport']) if (!signatories.includes(dept)) problems.push(`The Compact (2010): ${dept} is not a signatory`);
  }

  const original = find('The Compact on Relations between Government and the Voluntary and Community Sector in England (1998)');
  if (!original) problems.push('the 1998 Compact is missing');
  else {
    if (original.scope !== 'national' || original.status !== 'archived' || original.adoptedOn !== '1998-11-01') problems.push('1998 Compact: national, archived, 1998-11-01 expected');
    const codes = original.sections.map((s) => `${s.code}:${s.kind}`).join(',');
    if (codes !== 'FUND:code_of_practice,CONS:code_of_practice,BME:code_of_practice,VOL:code_of_practice,COMM:code_of_practice') problems.push(`1998 Compact: the five codes expected, got ${codes}`);
    for (const s of original.sections) {
      const n = original.commitments.filter((m) => m.section === s.code).length;
      if (n < 2 || n > 4) problems.push(`1998 Compact: code ${s.code} has ${n} commitments, 2 to 4 expected`);
    }
  }

  const harborough = find('Harborough District Compact (2003)');
  if (!harborough) problems.push('"Harborough District Compact (2003)" is missing');
  else {
    if (harborough.scope !== 'local' || harborough.area !== 'Harborough') problems.push('Harborough: local, area Harborough expected');
    const sections = harborough.sections.map((s) => `${s.code}:${s.title}:${s.kind}:${s.wording}`).join('|');
    const expected = 'J:Joint Undertakings:undertakings:official|F:Funding and Accountability:undertakings:official|P:Policy Development and Consultation:undertakings:official|T:Taking forward the Compact:undertakings:official';
    if (sections !== expected) problems.push(`Harborough: sections ${sections}`);
    const refs = harborough.commitments.map((m) => m.reference).join(',');
    if (refs !== 'J1,J2,J3,J4,J5,J6,J7,F1,F2,F3,F4,F5,F6,F7,P1,P2,P3,P4,T1,T2,T3') problems.push(`Harborough: references ${refs}`);
    for (const m of harborough.commitments) {
      if (m.section !== m.reference[0]) problems.push(`Harborough: ${m.reference} is in section ${m.section}`);
      if (m.wording !== 'official') problems.push(`Harborough: ${m.reference} is not official wording`);
      const binds = m.section === 'J' ? 'both' : 'public';
      if (m.binds !== binds) problems.push(`Harborough: ${m.reference} binds ${m.binds}, expected ${binds}`);
    }
    if (!(harborough.signatories ?? []).some((s) => s.organisation === 'Harborough District Council')) problems.push('Harborough: the district council is not a signatory');
  }
  return problems;
};

/** Spot checks that the Harborough undertakings are the source document's words, start and end. */
const harboroughVerbatim: Check = ({ compacts }) => {
  const h = compacts.find((c) => c.name === 'Harborough District Compact (2003)');
  const expected: Record<string, string> = {
    J1: 'Listen to each other and respond constructively',
    J7: 'Work towards relationships in which all partners are equally valued. This involves a mutual understanding of roles and mutual appreciation of the constraints facing both the voluntary and community sector and the statutory sector',
    F5: 'Support full cost recovery',
    P3: 'Co-ordinate consultation undertaken to avoid duplication',
    T3: 'Promote understanding of the commitments in the Compact and how they are to be put into practice by promoting the Compact within their own organisations.',
  };
  return Object.entries(expected)
    .filter(([ref, text]) => h?.commitments.find((m) => m.reference === ref)?.text !== text)
    .map(([ref]) => `Harborough: ${ref} is not the document's wording`);
};

const CHECKS: Record<string, Check> = {
  organisationNamesUnique,
  compactNamesUnique,
  sectionCodesUnique,
  commitmentReferencesUnique,
  commitmentSectionsExist,
  rulesNameKnownFacts,
  localCompactsHaveArea,
  bodyTypesMatchSector,
  noInventedCharityNumbers,
  namedOrganisationsExist,
  leadContactsOnePerSector,
  fitsImportLimits,
  requiredOrganisationsPresent,
  requiredCompactsPresent,
  harboroughVerbatim,
};

const seed = (): Seed => structuredClone({ organisations: SEED_ORGANISATIONS, compacts: SEED_COMPACTS });
const compactNamed = (s: Seed, name: string) => s.compacts.find((c) => c.name === name)!;
const national = (s: Seed) => compactNamed(s, 'The Compact (2010)');
const harborough = (s: Seed) => compactNamed(s, 'Harborough District Compact (2003)');
const commitment = (c: CompactDefinition, ref: string) => c.commitments.find((m) => m.reference === ref)!;

/** For each check, a way to break a copy of the seed that the check must notice. */
const BREAKAGES: Record<keyof typeof CHECKS, Array<[string, (s: Seed) => void]>> = {
  organisationNamesUnique: [['a name repeated in another case', (s) => s.organisations.push({ ...s.organisations[0], name: s.organisations[0].name.toUpperCase() })]],
  compactNamesUnique: [['a Compact listed twice', (s) => s.compacts.push({ ...s.compacts[0] })]],
  sectionCodesUnique: [['a section code repeated', (s) => national(s).sections.push({ ...national(s).sections[0], title: 'Another' })]],
  commitmentReferencesUnique: [['a reference repeated', (s) => national(s).commitments.push({ ...commitment(national(s), '1.1') })]],
  commitmentSectionsExist: [['a commitment in a missing section', (s) => (commitment(harborough(s), 'F1').section = 'X')]],
  rulesNameKnownFacts: [
    ['an unknown fact', (s) => ((commitment(national(s), '2.4').rule as { from: string }).from = 'consultationStartedOn')],
    ['a yes/no fact used as a date', (s) => ((commitment(national(s), '4.5').rule as { to: string }).to = 'impactAssessed')],
    ['a date fact used as the unless fact', (s) => ((commitment(national(s), '2.4').rule as { unless: string }).unless = 'consultationClosedOn')],
    ['a date fact for must_be_true', (s) => ((commitment(national(s), '4.4').rule as { fact: string }).fact = 'fundingNoticeGivenOn')],
    ['an inherited property name as a fact', (s) => ((commitment(national(s), '4.4').rule as { fact: string }).fact = 'toString')],
  ],
  localCompactsHaveArea: [
    ['a local Compact without an area', (s) => delete harborough(s).area],
    ['a national Compact with an area', (s) => (national(s).area = 'England')],
  ],
  bodyTypesMatchSector: [
    ['a public body without a body type', (s) => delete s.organisations.find((o) => o.sector === 'public')!.bodyType],
    ['a voluntary organisation with a body type', (s) => (s.organisations.find((o) => o.sector === 'voluntary')!.bodyType = 'other')],
  ],
  noInventedCharityNumbers: [['a charity number', (s) => (s.organisations[0].charityNumber = '1234567')]],
  namedOrganisationsExist: [
    ['an unknown signatory', (s) => harborough(s).signatories!.push({ organisation: 'Harborough Council' })],
    ['an unknown lead contact organisation', (s) => (harborough(s).leadContacts![0].organisation = 'Nobody')],
  ],
  leadContactsOnePerSector: [
    ['two public leads', (s) => harborough(s).leadContacts!.push({ sector: 'public', name: 'Second lead' })],
    ['a voluntary lead at a public body', (s) => (harborough(s).leadContacts!.find((l) => l.sector === 'voluntary')!.organisation = 'Harborough District Council')],
  ],
  fitsImportLimits: [
    ['an over-long reference', (s) => (commitment(national(s), '1.1').reference = '1.1-'.repeat(10))],
    ['an empty commitment text', (s) => (commitment(national(s), '1.2').text = '  ')],
    ['an impossible adoption date', (s) => (national(s).adoptedOn = '2010-02-30')],
    ['an over-long summary', (s) => (national(s).summary = 'x'.repeat(2001))],
  ],
  requiredOrganisationsPresent: [
    ['a required organisation renamed', (s) => (s.organisations.find((o) => o.name === 'Leicestershire Police')!.name = 'Leicestershire Constabulary')],
    ['a required organisation with the wrong body type', (s) => (s.organisations.find((o) => o.name === 'NHS Leicester, Leicestershire and Rutland ICB')!.bodyType = 'council')],
  ],
  requiredCompactsPresent: [
    ['The Compact (2010) renamed', (s) => (national(s).name = 'The Compact 2010')],
    ['the consultation rule weakened', (s) => ((commitment(national(s), '2.4').rule as { atLeast: object }).atLeast = { weeks: 8 })],
    ['the notice rule removed', (s) => delete commitment(national(s), '4.5').rule],
    ['the impact rule removed', (s) => delete commitment(national(s), '4.4').rule],
    ['the 1998 Compact active again', (s) => (s.compacts[1].status = 'active')],
    ['a Harborough undertaking marked as a summary', (s) => (commitment(harborough(s), 'P2').wording = 'summary')],
    ['a Harborough joint undertaking binding only the council', (s) => (commitment(harborough(s), 'J3').binds = 'public')],
    ['a Harborough undertaking dropped', (s) => harborough(s).commitments.pop()],
  ],
  harboroughVerbatim: [['an undertaking reworded', (s) => (commitment(harborough(s), 'J7').text = 'Work towards relationships in which all partners are equally valued')]],
};

describe('registry seed data', () => {
  describe.each(Object.entries(CHECKS))('%s', (name, check) => {
    it('finds no problem in the seed', () => {
      expect(check(seed())).toEqual([]);
    });

    it.each(BREAKAGES[name])('finds %s', (_what, breakIt) => {
      const broken = seed();
      breakIt(broken);
      expect(check(broken).length).toBeGreaterThan(0);
    });
  });

  it('has a convincing demo: public bodies of each local kind and enough voluntary organisations', () => {
    const publicTypes = new Set(SEED_ORGANISATIONS.filter((o) => o.sector === 'public').map((o) => o.bodyType));
    for (const t of ['council', 'nhs', 'police', 'fire_rescue', 'pcc', 'lep', 'government_department'] as const) expect(publicTypes).toContain(t);
    const voluntary = SEED_ORGANISATIONS.filter((o) => o.sector === 'voluntary').length;
    expect(voluntary).toBeGreaterThanOrEqual(10);
    expect(voluntary).toBeLessThanOrEqual(15);
  });

  it('marks every commitment of the national Compacts as a summary of ours', () => {
    const official = SEED_COMPACTS.filter((c) => c.scope === 'national').flatMap((c) => c.commitments.filter((m) => m.wording !== 'summary').map((m) => `${c.name} ${m.reference}`));
    expect(official).toEqual([]);
  });

  it('gives The Compact (2010) three to seven government commitments per outcome', () => {
    const c = SEED_COMPACTS.find((x) => x.name === 'The Compact (2010)')!;
    for (const s of c.sections) {
      const n = c.commitments.filter((m) => m.section === s.code && m.binds === 'public').length;
      expect([s.code, n >= 3 && n <= 7]).toEqual([s.code, true]);
    }
  });
});
