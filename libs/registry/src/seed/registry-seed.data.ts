import type { CommitmentDefinition, CompactDefinition, OrganisationDefinition, SectionDefinition } from './registry-seed.types';

/**
 * The seed registry: organisations for a demo centred on Harborough and Leicestershire, plus the
 * national bodies, and three Compacts (the national Compact 2010, the original 1998 Compact and
 * the Harborough District Compact 2003).
 *
 * Wording: a text marked 'official' reproduces its source verbatim (the Harborough undertakings
 * and section titles, copied from the council's description of the 2003 Compact). Every text
 * marked 'summary' is ours: a faithful paraphrase, not the Compact's own words, and numbered as
 * in the published Compact as far as we know it. Voluntary-sector commitments whose official
 * numbers we do not know are numbered "<section>.V<n>".
 *
 * Organisations: public bodies and the national infrastructure bodies are real; local groups such
 * as 'Riverside Community Foodbank' are invented for the demo. No charity numbers are given, and a
 * website only where it is well known.
 */

export const SEED_ORGANISATIONS: OrganisationDefinition[] = [
  // Public bodies: Harborough and Leicestershire
  { name: 'Harborough District Council', sector: 'public', bodyType: 'council', area: 'Harborough', website: 'https://www.harborough.gov.uk' },
  { name: 'Leicestershire County Council', sector: 'public', bodyType: 'council', area: 'Leicestershire', website: 'https://www.leicestershire.gov.uk' },
  { name: 'Leicester City Council', sector: 'public', bodyType: 'council', area: 'Leicester', website: 'https://www.leicester.gov.uk' },
  { name: 'Oadby and Wigston Borough Council', sector: 'public', bodyType: 'council', area: 'Oadby and Wigston' },
  { name: 'NHS Leicester, Leicestershire and Rutland ICB', sector: 'public', bodyType: 'nhs', area: 'Leicestershire' },
  { name: 'University Hospitals of Leicester NHS Trust', sector: 'public', bodyType: 'nhs', area: 'Leicester' },
  { name: 'Leicestershire Police', sector: 'public', bodyType: 'police', area: 'Leicestershire', website: 'https://www.leics.police.uk' },
  { name: 'Leicestershire Fire and Rescue Service', sector: 'public', bodyType: 'fire_rescue', area: 'Leicestershire' },
  { name: 'Police and Crime Commissioner for Leicestershire', sector: 'public', bodyType: 'pcc', area: 'Leicestershire' },
  { name: 'Leicester and Leicestershire Enterprise Partnership', sector: 'public', bodyType: 'lep', area: 'Leicestershire' },
  // Public bodies: national
  { name: 'Cabinet Office', sector: 'public', bodyType: 'government_department', website: 'https://www.gov.uk/government/organisations/cabinet-office' },
  {
    name: 'Department for Culture, Media and Sport',
    sector: 'public',
    bodyType: 'government_department',
    website: 'https://www.gov.uk/government/organisations/department-for-culture-media-and-sport',
  },

  // Voluntary and community organisations: local (the first two are matched by name in the demo data)
  { name: 'Riverside Community Foodbank', sector: 'voluntary', area: 'Harborough' },
  { name: 'Harborough Carers Support', sector: 'voluntary', area: 'Harborough' },
  { name: 'Voluntary Action South Leicestershire', sector: 'voluntary', area: 'Harborough' },
  { name: 'Voluntary Action LeicesterShire', sector: 'voluntary', area: 'Leicestershire' },
  { name: 'Welland Valley Youth Project', sector: 'voluntary', area: 'Harborough' },
  { name: 'Lutterworth Good Neighbours', sector: 'voluntary', area: 'Harborough' },
  { name: 'Kibworth Befriending Scheme', sector: 'voluntary', area: 'Harborough' },
  { name: 'Fleckney Village Hall Committee', sector: 'voluntary', area: 'Harborough' },
  { name: 'Market Harborough Refugee Welcome', sector: 'voluntary', area: 'Harborough' },
  { name: 'South Leicestershire Rural Transport Group', sector: 'voluntary', area: 'Leicestershire' },
  { name: 'Leicester African Caribbean Elders Forum', sector: 'voluntary', area: 'Leicester' },
  // Voluntary sector: national
  { name: 'National Council for Voluntary Organisations', sector: 'voluntary', website: 'https://www.ncvo.org.uk' },
  { name: 'National Association for Voluntary and Community Action', sector: 'voluntary' },
  { name: 'Compact Voice', sector: 'voluntary' },
];

// ---------------------------------------------------------------------------------------------
// The Compact (2010)
// ---------------------------------------------------------------------------------------------

const COMPACT_2010_SECTIONS: SectionDefinition[] = [
  { code: '1', title: 'A strong, diverse and independent civil society', kind: 'outcome', wording: 'official' },
  { code: '2', title: 'Effective and transparent design and development of policies, programmes and public services', kind: 'outcome', wording: 'official' },
  { code: '3', title: 'Responsive and high-quality programmes and services', kind: 'outcome', wording: 'official' },
  { code: '4', title: 'Clear arrangements for managing changes to programmes and services', kind: 'outcome', wording: 'official' },
  { code: '5', title: 'An equal and fair society', kind: 'outcome', wording: 'official' },
];

const gov2010 = (reference: string, text: string, rule?: CommitmentDefinition['rule']): CommitmentDefinition => ({
  reference,
  section: reference.split('.')[0],
  text,
  binds: 'public',
  wording: 'summary',
  ...(rule ? { rule } : {}),
});
const cso2010 = (reference: string, text: string): CommitmentDefinition => ({
  reference,
  section: reference.split('.')[0],
  text,
  binds: 'voluntary',
  wording: 'summary',
});

const COMPACT_2010_COMMITMENTS: CommitmentDefinition[] = [
  // 1. A strong, diverse and independent civil society
  gov2010('1.1', 'Respect and uphold the independence of civil society organisations to pursue their mission, including their right to campaign, whatever financial or other relationship exists with government.'),
  gov2010('1.2', 'Support and resource civil society organisations reasonably and fairly where they help government meet its aims.'),
  gov2010('1.3', 'Recognise, across government (through the Cabinet Office), the need to resource national and local support and development organisations that build the capacity of civil society organisations.'),
  gov2010('1.4', 'Make data and information more accessible, so that civil society organisations can challenge how services are provided, reach new markets and hold government to account.'),
  gov2010('1.5', 'Consider a range of ways of supporting civil society organisations, such as greater access to publicly owned premises and resources.'),
  gov2010('1.6', 'Make criminal record checks free for volunteers and work to simplify checks for people who volunteer for more than one cause.'),
  cso2010('1.7', 'Base campaigning and advocacy on robust evidence, including where it comes from and which people and communities are represented.'),
  cso2010('1.8', 'Uphold their independence and focus on the cause they represent, whatever relationship, financial or otherwise, they have with government.'),

  // 2. Effective and transparent design and development of policies, programmes and public services
  gov2010('2.1', 'Make social, environmental and economic value a standard part of designing, developing and delivering policies, programmes and services.'),
  gov2010('2.2', 'Involve civil society organisations from the earliest possible stage in designing policies, programmes and services, and remove barriers that stop organisations contributing.'),
  gov2010('2.3', 'Give early notice of forthcoming consultations where possible, leaving enough time for organisations to involve their users, beneficiaries, members, volunteers and trustees in their responses.'),
  gov2010(
    '2.4',
    'Where appropriate, conduct formal written consultations lasting 12 weeks, and give a clear explanation and rationale for any shorter time-frame or more informal approach.',
    {
      kind: 'minimum_period',
      from: 'consultationOpenedOn',
      to: 'consultationClosedOn',
      atLeast: { weeks: 12 },
      unless: 'shorterConsultationRationaleGiven',
      summary: 'formal consultations of at least 12 weeks',
    },
  ),
  gov2010('2.5', 'Make consultations accessible to, and targeted at, the organisations and people likely to be affected, and assess the likely impact of proposals on civil society organisations.'),
  gov2010('2.6', 'Give feedback after a consultation explaining the decisions taken and how the responses were taken into account.'),
  cso2010('2.V1', 'Seek the views of service users, beneficiaries, members, volunteers and trustees when responding to consultations or making representations, and be clear whom they represent and in what capacity.'),
  cso2010('2.V2', 'Respond to consultations constructively and in good time, offering practical solutions based on evidence.'),

  // 3. Responsive and high-quality programmes and services
  gov2010('3.1', 'Consider a wide range of ways to fund or resource civil society organisations, such as grants, contracts, loans and the use of assets, choosing what best achieves the outcomes sought.'),
  gov2010('3.2', 'Make funding and procurement processes, including applications and eligibility criteria, clear, open and proportionate to the size and risk of the funding, so that smaller organisations are not excluded.'),
  gov2010('3.3', 'Agree with organisations in advance the outcomes to be achieved and how they will be monitored, keeping reporting requirements proportionate.'),
  gov2010('3.4', 'Commit to multi-year funding where it is appropriate and adds value for money, with the term of funding reflecting the time needed to deliver the outcomes.'),
  gov2010('3.5', 'Accept that it is legitimate for organisations to include appropriate overheads, such as the cost of training and supporting volunteers, when bidding to deliver services, and pay on time.'),
  cso2010('3.V1', 'Be open and transparent about how public funding is used and the outcomes it achieves, and meet the agreed monitoring and reporting requirements.'),
  cso2010('3.V2', 'Tell the funder as early as possible about any difficulties in delivering what was agreed.'),

  // 4. Clear arrangements for managing changes to programmes and services
  gov2010('4.1', 'Agree at the start of a funding relationship how it may change or end, and plan for the end of funding with the organisation.'),
  gov2010('4.2', 'Tell organisations as early as possible of any likely change to, or end of, funding or other support.'),
  gov2010('4.3', 'Discuss the potential implications of a change with the organisations affected as early as possible, give them the opportunity to respond, and consider their response fully before making a final decision.'),
  gov2010(
    '4.4',
    'Assess the impact on beneficiaries, service users and volunteers before deciding to reduce or end funding, including whether funds should be re-allocated to another organisation serving the same group.',
    { kind: 'must_be_true', fact: 'impactAssessed', summary: 'the impact is assessed before deciding to reduce or end funding' },
  ),
  gov2010(
    '4.5',
    "Give a minimum of three months' notice in advance of ending or reducing a funding relationship or other support, with a clear rationale for the decision.",
    {
      kind: 'minimum_period',
      from: 'fundingNoticeGivenOn',
      to: 'fundingChangeEffectiveOn',
      atLeast: { months: 3 },
      summary: "at least three months' notice before funding is reduced or ended",
    },
  ),
  cso2010('4.V1', 'Plan for the end of funding so as to reduce any negative impact on beneficiaries, volunteers and the organisation.'),
  cso2010('4.V2', 'Contact the funder as early as possible when changes are being considered, and put forward evidence and alternative proposals.'),

  // 5. An equal and fair society
  gov2010('5.1', 'Work with civil society organisations that represent, support or serve people protected by equality law and other under-represented or disadvantaged groups, to understand their needs.'),
  gov2010('5.2', 'Take the needs of disadvantaged and under-represented groups into account when designing and delivering policies, programmes and services, assessing the equality impact of decisions.'),
  gov2010('5.3', 'Recognise that organisations representing particular disadvantaged groups help promote social and community cohesion, and ensure they have fair access to funding and consultation.'),
  gov2010('5.4', 'Remove barriers that prevent organisations representing under-represented groups from taking part in consultations and funding processes.'),
  cso2010('5.V1', 'Take practical action to eliminate unlawful discrimination, advance equality of opportunity and ensure fair access to their services.'),
  cso2010('5.V2', 'Use their knowledge of the communities they work with to help public bodies understand the needs of disadvantaged and under-represented groups.'),
];

const COMPACT_2010: CompactDefinition = {
  name: 'The Compact (2010)',
  scope: 'national',
  adoptedOn: '2010-12-15',
  status: 'active',
  sourceUrl: 'https://www.gov.uk/government/publications/the-compact',
  summary:
    'The renewed national Compact between the government and civil society organisations in England, published in December 2010 by the coalition government with the voluntary sector (represented by Compact Voice). ' +
    'It replaced the 1998 Compact and its five codes of good practice with one short document of shared principles and undertakings for both sides, grouped under five outcomes, ' +
    "and includes concrete commitments such as 12-week formal consultations and three months' notice of changes to funding. " +
    'Every government department is signed up; implementation across government is overseen by the Office for Civil Society in the Cabinet Office. ' +
    'Commitment texts here are summaries, not the official wording; government-side numbering follows the published Compact, and voluntary-sector commitments numbered ".V" are ours.',
  sections: COMPACT_2010_SECTIONS,
  commitments: COMPACT_2010_COMMITMENTS,
  signatories: [{ organisation: 'Cabinet Office' }, { organisation: 'Department for Culture, Media and Sport' }],
  leadContacts: [
    { sector: 'public', name: 'Office for Civil Society, Cabinet Office', organisation: 'Cabinet Office' },
    { sector: 'voluntary', name: 'Compact Voice', organisation: 'Compact Voice' },
  ],
};

// ---------------------------------------------------------------------------------------------
// The Compact (1998) and its codes of good practice
// ---------------------------------------------------------------------------------------------

const COMPACT_1998_SECTIONS: SectionDefinition[] = [
  { code: 'FUND', title: 'Funding', kind: 'code_of_practice', wording: 'summary' },
  { code: 'CONS', title: 'Consultation and Policy Appraisal', kind: 'code_of_practice', wording: 'summary' },
  { code: 'BME', title: 'Black and Minority Ethnic Voluntary and Community Organisations', kind: 'code_of_practice', wording: 'summary' },
  { code: 'VOL', title: 'Volunteering', kind: 'code_of_practice', wording: 'summary' },
  { code: 'COMM', title: 'Community Groups', kind: 'code_of_practice', wording: 'summary' },
];

const c1998 = (reference: string, binds: CommitmentDefinition['binds'], text: string, rule?: CommitmentDefinition['rule']): CommitmentDefinition => ({
  reference,
  section: reference.split('.')[0],
  text,
  binds,
  wording: 'summary',
  ...(rule ? { rule } : {}),
});

const COMPACT_1998_COMMITMENTS: CommitmentDefinition[] = [
  // Funding
  c1998('FUND.1', 'public', 'Recognise the cost of doing business when funding voluntary and community organisations to deliver public services, including a fair share of overhead costs.'),
  c1998('FUND.2', 'public', 'Run funding schemes on a clear, consistent and fair basis, with published criteria and timetables, and monitoring in proportion to the amount and purpose of the funding.'),
  c1998('FUND.3', 'public', 'Consider longer-term funding where appropriate, pay on time, and give reasonable notice and reasons when funding is to end.'),
  c1998('FUND.4', 'voluntary', 'Operate through open and accountable organisations, with proper governance and financial management, and account for the public money received.'),
  // Consultation and Policy Appraisal
  c1998('CONS.1', 'public', 'Consult the voluntary and community sector on issues likely to affect it, early enough to make a difference.'),
  c1998(
    'CONS.2',
    'public',
    'Allow 12 weeks for written consultations wherever possible, and explain the reasons where a shorter period is given.',
    {
      kind: 'minimum_period',
      from: 'consultationOpenedOn',
      to: 'consultationClosedOn',
      atLeast: { weeks: 12 },
      unless: 'shorterConsultationRationaleGiven',
      summary: 'written consultations of 12 weeks wherever possible',
    },
  ),
  c1998('CONS.3', 'public', 'Assess the impact of new policies and procedures on the sector (policy appraisal) and report back on how consultation responses were taken into account.'),
  c1998('CONS.4', 'voluntary', 'Contribute constructively to public policy, consulting its users, members and volunteers and being clear whose views it represents.'),
  // Black and Minority Ethnic Voluntary and Community Organisations
  c1998('BME.1', 'public', 'Recognise the distinct role of black and minority ethnic voluntary and community organisations and involve them in consultation and policy development.'),
  c1998('BME.2', 'public', 'Ensure black and minority ethnic organisations have fair access to funding and support to build their capacity.'),
  c1998('BME.3', 'voluntary', 'Involve all stakeholders and embrace diversity, including black and minority ethnic organisations in the wider sector and its networks.'),
  // Volunteering
  c1998('VOL.1', 'public', 'Recognise, promote and support volunteering, and remove barriers that discourage people from volunteering.'),
  c1998('VOL.2', 'public', 'Recognise that volunteering is not cost-free, and allow for the costs of recruiting, training, supporting and reimbursing volunteers in funding.'),
  c1998('VOL.3', 'voluntary', 'Follow good practice in involving volunteers, with fair recruitment, proper support and the reimbursement of out-of-pocket expenses.'),
  // Community Groups
  c1998('COMM.1', 'public', 'Recognise the value and independence of small community groups, and help create and maintain the conditions in which they can succeed.'),
  c1998('COMM.2', 'public', 'Keep funding applications, conditions and monitoring for community groups simple and in proportion to the small sums involved.'),
  c1998('COMM.3', 'voluntary', 'Promote the Compact across the sector and operate openly and accountably, involving their members and local people.'),
];

const COMPACT_1998: CompactDefinition = {
  name: 'The Compact on Relations between Government and the Voluntary and Community Sector in England (1998)',
  scope: 'national',
  adoptedOn: '1998-11-01',
  status: 'archived',
  summary:
    'The original national Compact between government and the voluntary and community sector in England, published in November 1998 (the exact day is not recorded here; the 1st is a placeholder). ' +
    'It grew out of the Deakin Commission report on the future of the voluntary sector. Its key principles: a healthy voluntary and community sector is part of a democratic society; ' +
    'working in partnership can result in better policy, services and outcomes for the community; partnership requires strong relationships, such as integrity and openness; ' +
    'government can play a role as a funder of the sector; and the independence of the sector should be respected. ' +
    'Government undertook to promote the Compact across government, consult early enough to make a difference and recognise the cost of doing business when funding public service delivery; ' +
    'the sector undertook to promote the Compact across the sector, operate through open and accountable organisations, involve all stakeholders and embrace diversity, and contribute constructively to public policy. ' +
    'Five codes of good practice set out the detail. Superseded by The Compact (2010). Commitment texts here are summaries, not the official wording.',
  sections: COMPACT_1998_SECTIONS,
  commitments: COMPACT_1998_COMMITMENTS,
};

// ---------------------------------------------------------------------------------------------
// Harborough District Compact (2003): the undertakings verbatim from the council's description
// ---------------------------------------------------------------------------------------------

const HARBOROUGH_SECTIONS: SectionDefinition[] = [
  { code: 'J', title: 'Joint Undertakings', kind: 'undertakings', wording: 'official' },
  { code: 'F', title: 'Funding and Accountability', kind: 'undertakings', wording: 'official' },
  { code: 'P', title: 'Policy Development and Consultation', kind: 'undertakings', wording: 'official' },
  { code: 'T', title: 'Taking forward the Compact', kind: 'undertakings', wording: 'official' },
];

const undertakings = (section: string, binds: CommitmentDefinition['binds'], texts: string[]): CommitmentDefinition[] =>
  texts.map((text, i) => ({ reference: `${section}${i + 1}`, section, text, binds, wording: 'official' }));

const HARBOROUGH_COMMITMENTS: CommitmentDefinition[] = [
  ...undertakings('J', 'both', [
    'Listen to each other and respond constructively',
    'Increase community involvement and participation by supporting volunteering activity',
    'Work to enhance accountability, honesty and integrity',
    'Work to enhance leadership, objectivity and transparency',
    'Represent information fairly and honestly and to respect confidentiality where required',
    'Work within an ethos which encourages the resolution of conflict with an agreed process for breakdowns in negotiation',
    'Work towards relationships in which all partners are equally valued. This involves a mutual understanding of roles and mutual appreciation of the constraints facing both the voluntary and community sector and the statutory sector',
  ]),
  ...undertakings('F', 'public', [
    'Develop co-ordinated approaches to funding voluntary and community organisations to ensure the most effective and efficient use of public money',
    'Provide a framework to ensure openness in funding and to apply monitoring and accountability systems in proportion to the amount and purpose of funding',
    'Give voluntary and community organisations the opportunity to tender for service provision where appropriate',
    'Recognise that services provided by the Voluntary and Community Sector provide value for money, but are not a cheap option',
    'Support full cost recovery',
    'Recognise and support the Voluntary and Community Sector’s ability to access external resources that meet shared objectives',
    'Support the Voluntary and Community Sector in developing its resource base to enable it to effectively engage in policy development and partnership activity.',
  ]),
  ...undertakings('P', 'public', [
    'Actively and consistently involve the Voluntary and Community Sector in the planning and development of policies and services',
    'Recognise the time and resources needed to participate in policy development and consultation',
    'Co-ordinate consultation undertaken to avoid duplication',
    'Work with the Voluntary and Community Sector to make information and services to the community more accessible.',
  ]),
  ...undertakings('T', 'public', [
    'Develop a local action plan to take forward the issues raised by the Compact',
    'Set up new working arrangements and allocate appropriate resources to put into practice the commitments in the Compact',
    'Promote understanding of the commitments in the Compact and how they are to be put into practice by promoting the Compact within their own organisations.',
  ]),
];

const HARBOROUGH_2003: CompactDefinition = {
  name: 'Harborough District Compact (2003)',
  scope: 'local',
  area: 'Harborough',
  status: 'active',
  summary:
    'A written agreement that provides a framework for the way voluntary and community organisations and statutory organisations work together in Harborough District. ' +
    'It is a voluntary commitment, not legally binding, endorsed by the 1998 national Compact. Harborough District Council signed up to it in 2003 ' +
    '(only the year is known, so no adoption date is recorded; a later council page says the local Compact was launched in 2004). ' +
    'The undertakings are reproduced as the council lists them: the Joint Undertakings bind both sectors; the other three groups are presented as the council’s commitments. ' +
    'The voluntary-sector signatory shown is the local council for voluntary service.',
  sections: HARBOROUGH_SECTIONS,
  commitments: HARBOROUGH_COMMITMENTS,
  signatories: [{ organisation: 'Harborough District Council' }, { organisation: 'Voluntary Action South Leicestershire' }],
  leadContacts: [
    { sector: 'public', name: 'Compact lead, Harborough District Council', organisation: 'Harborough District Council' },
    { sector: 'voluntary', name: 'Compact lead, Voluntary Action South Leicestershire', organisation: 'Voluntary Action South Leicestershire' },
  ],
};

export const SEED_COMPACTS: CompactDefinition[] = [COMPACT_2010, COMPACT_1998, HARBOROUGH_2003];
