import { DEFAULT_LETTERS } from '../default-templates/default-letters';
import { letterBlocks } from './letter-text';
import { fillTemplate, gapsOf, markersIn, parseTemplate, segmentsToText, templateProblems } from './template-language';

const parsed = (source: string) => {
  const p = parseTemplate(source);
  if ('problems' in p) throw new Error(p.problems.map((x) => x.reason).join('; '));
  return p.program;
};

describe('letter template language', () => {
  it.each(DEFAULT_LETTERS.map((l) => [l.key, l] as const))('the default %s is a good template', (_, letter) => {
    expect(templateProblems(letter.subject)).toEqual([]);
    expect(templateProblems(letter.body)).toEqual([]);
  });

  it('fills fields, lists and blocks, and marks each missing field as a gap in words', () => {
    const program = parsed('Dear {{recipient.name}},\n\n{{#each commitments}}\n- {{reference}}: {{finding}}\n{{/each}}\nReply {{deadlines.reply}}.{{#if fee.total}} Fee {{fee.total}}{{/if}}');
    const segments = fillTemplate(program, { recipient: { name: 'Colin Council' }, commitments: [{ reference: '2.4', finding: 'too short' }, { reference: '4.5' }], deadlines: {} });
    expect(segmentsToText(segments)).toBe(
      "Dear Colin Council,\n\n- 2.4: too short\n- 4.5: [missing: what the rule check found for this commitment]\nReply [missing: the date the public body must reply by].",
    );
    expect(gapsOf(segments)).toEqual(['what the rule check found for this commitment', 'the date the public body must reply by']);
    expect(markersIn(segmentsToText(segments))).toEqual(gapsOf(segments));
  });

  it('an empty list with no {{else}} is a gap; with {{else}} it is not', () => {
    expect(gapsOf(fillTemplate(parsed('{{#each agreedActions}}{{this}}{{/each}}'), { agreedActions: [] }))).toEqual(['the agreed actions']);
    expect(segmentsToText(fillTemplate(parsed('{{#each agreedActions}}{{this}}{{else}}none{{/each}}'), {}))).toBe('none');
  });

  it('never reaches prototypes or helpers', () => {
    expect(templateProblems('{{constructor}}')[0].reason).toContain('not a merge field');
    expect(templateProblems('{{lookup case "reference"}}')[0].reason).toContain('not a merge field');
    expect(templateProblems('{{> header}}')[0].reason).toContain('cannot use');
    expect(templateProblems('{{#each case}}x{{/each}}')[0].reason).toContain('not a list');
    expect(templateProblems('{{case.referense}}')[0].reason).toBe('uses {{case.referense}}, which is not a merge field; did you mean {{case.reference}}?');
    expect(templateProblems('Hello {{#if case.title}}x')[0]).toEqual({ line: 1, reason: expect.stringContaining('not finished on line 1') });
    const segments = fillTemplate(parsed('{{case.reference}}'), JSON.parse('{"case": {"__proto__": {"reference": "leak"}}}'));
    expect(gapsOf(segments)).toEqual(['the case reference']);
  });

  it('reads paragraphs, lists and headings from the text', () => {
    expect(letterBlocks('# Heading\n\nOne\ntwo\n\n- a\n- b\n\n1. x\n1. y')).toEqual([
      { kind: 'heading', text: 'Heading' },
      { kind: 'paragraph', text: 'One\ntwo' },
      { kind: 'list', items: ['a', 'b'], numbered: false },
      { kind: 'list', items: ['x', 'y'], numbered: true },
    ]);
  });
});
