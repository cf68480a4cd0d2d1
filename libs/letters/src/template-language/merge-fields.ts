/**
 * Every merge field a letter template may use, with what it is in words. The words are what a
 * caseworker reads when the case does not have the field yet ("Missing: the date the public body
 * must reply by"), and what an administrator reads in the list of fields beside the editor.
 */
export type FieldSpec =
  | { kind: 'text'; words: string; example: string }
  /** A yes/no for {{#if}}: never shown itself, so never a gap. */
  | { kind: 'flag'; words: string }
  | { kind: 'list'; words: string; example: string; items: Schema | 'text' }
  | { kind: 'object'; words: string; fields: Schema };

export type Schema = Readonly<Record<string, FieldSpec>>;

const text = (words: string, example: string): FieldSpec => ({ kind: 'text', words, example });
const flag = (words: string): FieldSpec => ({ kind: 'flag', words });
const object = (words: string, fields: Schema): FieldSpec => ({ kind: 'object', words, fields });
const list = (words: string, example: string, items: Schema | 'text'): FieldSpec => ({ kind: 'list', words, example, items });

export const MERGE_FIELDS: Schema = {
  today: text("today's date", '1 December 2026'),
  case: object('the case', {
    reference: text('the case reference', 'CB-2026-00042'),
    title: text("the case's title", 'Grant ended with two weeks notice'),
    submittedOn: text('the date the breach was reported', '3 October 2026'),
    happenedOn: text('the date what is reported happened', '1 October 2026'),
    whatHappened: text('what happened, as the reporter told it', 'The council told us on 1 October that our grant would end on 15 October.'),
    impact: text('the impact, as the reporter told it', 'We had to close the Tuesday food bank session.'),
    desiredOutcome: text('what the reporter wants to happen', 'Three months notice as the Compact requires.'),
    stage: text('where the case stands', 'Advocacy'),
    contactedOn: text('the date we last wrote to the public body about the case', '2 November 2026'),
  }),
  compact: object('the Compact', { name: text("the Compact's name", 'The Compact (2010)') }),
  reporter: object('the reporting organisation', {
    organisation: text("the reporting organisation's name (to the public body, 'a voluntary organisation in …' when the reporter asked not to be named)", 'Riverside Foodbank'),
    area: text("the reporting organisation's area", 'Harborough'),
    name: text("the reporter's name (never given to the public body when the reporter asked not to be named)", 'Rita Reporter'),
    email: text("the reporter's e-mail address (never given to the public body when the reporter asked not to be named)", 'rita@example.org'),
    named: flag('whether the public body may be told who reported'),
  }),
  respondent: object('the public body', {
    name: text("the public body's name", 'Harborough District Council'),
    area: text("the public body's area", 'Harborough'),
    contactNames: text("the names of the public body's contacts named on the case", 'Colin Council and Carol Clerk'),
    contacts: list("the public body's contacts named on the case", 'Colin Council, Head of Commissioning', {
      name: text("the contact's name", 'Colin Council'),
      jobTitle: text("the contact's job title", 'Head of Commissioning'),
    }),
  }),
  recipient: object('who the letter is to', {
    name: text('the names of the people the letter is to', 'Colin Council'),
    organisation: text('the organisation the letter is to', 'Harborough District Council'),
  }),
  commitments: list('the commitments the report says were broken', '2.4: Where appropriate, conduct formal written consultations lasting 12 weeks…', {
    reference: text("the commitment's reference", '2.4'),
    text: text("the commitment's words", 'Where appropriate, conduct formal written consultations lasting 12 weeks…'),
    finding: text('what the rule check found for this commitment', 'The Compact (2010), 2.4, asks for formal consultations of at least 12 weeks; yours ran for 5 weeks, from 1 September to 6 October 2026'),
  }),
  findings: list(
    'what the rule check found (a sentence for each commitment the facts could be checked against)',
    'The Compact (2010), 2.4, asks for formal consultations of at least 12 weeks; yours ran for 5 weeks, from 1 September to 6 October 2026',
    'text',
  ),
  facts: list('the facts the report gave for the rule check, in words', 'The consultation opened on 1 September 2026', 'text'),
  deadlines: object('the dates the case runs to', {
    reply: text('the date the public body must reply by', 'by 29 January 2027'),
    replyWithin: text('how long the public body has to reply, as the Compact\'s policy sets it', 'within 20 working days'),
    information: text('the date the reporter must answer our questions by', 'by 15 December 2026'),
    feeAgreement: text('the date both sides must agree the mediation fee by', 'by 15 December 2026'),
    feePayment: text('the date the mediation fee must be paid by', 'by 15 December 2026'),
    monitoring: text('the date the agreed actions are watched until', 'until 30 June 2027'),
  }),
  questions: text('the questions we asked the reporter', 'When did the council write to you?'),
  agreedActions: list('the agreed actions', 'Restore the grant until 31 March', 'text'),
  monitorUntil: text('the date the agreed actions are watched until', '30 June 2027'),
  fee: object('the mediation fee', {
    total: text('the mediation fee', '£1,200.00'),
    reporterShare: text("the reporting organisation's share of the fee", '£300.00 (25%)'),
    respondentShare: text("the public body's share of the fee", '£900.00 (75%)'),
    waived: flag('whether the fee was waived'),
  }),
  mediation: object('the mediation', {
    mediator: text("the mediator's name", 'Mo Mediator'),
    session: text('when and where the mediation session is', '12 January 2027 at 10am, Civic Centre'),
    result: text('how the mediation ended', 'Settled: the parties reached an agreement'),
    summary: text("the mediator's summary of the outcome", 'Both sides agreed a way forward.'),
  }),
  rejection: object('why the report was not taken up', {
    decidedOn: text('the date we decided not to take up the report', '14 October 2026'),
    reason: text('why the report was not taken up', 'it is not a matter the Compact covers'),
    explanation: text("the caseworker's explanation of the rejection", 'The grant was not made under the Compact.'),
  }),
  closing: object('how the case closed', {
    closedOn: text('the date the case was closed', '30 November 2026'),
    outcome: text('how the case ended', 'the agreed actions were carried out'),
    summary: text('what was said when the case was closed', 'The council restored the grant.'),
  }),
  caseworker: object('the caseworker', { name: text("the case's caseworker", 'Casey Worker') }),
  sender: object('who is sending the letter', {
    name: text('your name', 'Casey Worker'),
    role: text('your role', 'Caseworker'),
  }),
};

/** The field at a dotted path within a schema, or undefined. */
export function fieldAt(schema: Schema, parts: readonly string[]): FieldSpec | undefined {
  let here: Schema | undefined = schema;
  let found: FieldSpec | undefined;
  for (const part of parts) {
    if (!here || !Object.hasOwn(here, part)) return undefined;
    found = here[part];
    here = found.kind === 'object' ? found.fields : undefined;
  }
  return found;
}

/** Every field as { field, use, words, example }: `use` is what an administrator writes in a template. */
export function fieldList(schema: Schema = MERGE_FIELDS, prefix = '', inside?: string): Array<{ field: string; use: string; words: string; example?: string; block?: 'each' | 'if' }> {
  const out: Array<{ field: string; use: string; words: string; example?: string; block?: 'each' | 'if' }> = [];
  for (const [name, spec] of Object.entries(schema)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const within = inside ? ` (inside {{#each ${inside}}})` : '';
    if (spec.kind === 'object') out.push(...fieldList(spec.fields, path, inside));
    else if (spec.kind === 'flag') out.push({ field: path, use: `{{#if ${path}}} … {{/if}}${within}`, words: spec.words, block: 'if' });
    else if (spec.kind === 'list') {
      out.push({ field: path, use: `{{#each ${path}}} … {{/each}}${within}`, words: spec.items === 'text' ? `${spec.words}: write {{this}} for each` : spec.words, example: spec.example, block: 'each' });
      if (spec.items !== 'text') out.push(...fieldList(spec.items, '', path));
    } else out.push({ field: inside ? `${inside}.${path}` : path, use: `{{${path}}}${within}`, words: spec.words, example: spec.example });
  }
  return out;
}
