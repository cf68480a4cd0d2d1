import nunjucks from 'nunjucks';
import { Renderer } from './renderer';

// nunjucks' built-in filters, to check the renderer's trim against the one it replaces.
const builtIn = require('nunjucks/src/filters') as { trim: (value: unknown) => unknown };

describe('Renderer trim filter', () => {
  const trim = new Renderer().env.getFilter('trim') as (value: unknown) => unknown;
  const samples = ['', '   ', 'a', '  a b  ', '\n\t a\u00a0b \u2028\ufeff', `<input\n${' \n'.repeat(400)}class="x">\n\n`, '\u3000x\u3000'];

  it.each(samples.map((s) => [JSON.stringify(s).slice(0, 40), s]))('gives what nunjucks gives for %s', (_label, s) => {
    expect(trim(s)).toBe(builtIn.trim(s));
  });

  it('keeps markup marked safe, and plain text plain', () => {
    const safe = trim(new nunjucks.runtime.SafeString('  <b>x</b>\n'));
    expect(safe).toBeInstanceOf(nunjucks.runtime.SafeString);
    expect(String(safe)).toBe('<b>x</b>');
    expect(trim('  <b>x</b> ')).toBe('<b>x</b>');
    expect(new Renderer().env.renderString('[{{ v | trim }}]', { v: '  <b> ' })).toBe('[&lt;b&gt;]');
  });

  it('takes linear time on long runs of whitespace', () => {
    const long = `a${' \n'.repeat(200_000)}b`;
    const started = Date.now();
    expect(trim(`  ${long}  `)).toBe(long);
    expect(Date.now() - started).toBeLessThan(200);
  });
});

describe('Renderer imports', () => {
  // A page importing GOV.UK macros (which import their own parts), rendered by the renderer and by
  // a plain environment: the same HTML on every render, whatever the render before it passed.
  const page = `{% from "govuk/components/radios/macro.njk" import govukRadios %}{% from "govuk/components/details/macro.njk" import govukDetails %}{% from "govuk/components/input/macro.njk" import govukInput %}
{% for r in radios %}{{ govukRadios(r) }}{% endfor %}
{% call govukDetails({ summaryText: summary }) %}{{ govukInput({ name: "n", id: "n", label: { text: "Name" }, errorMessage: error, hint: hint }) }}{% endcall %}`;
  const renderer = new Renderer();
  const plain = new nunjucks.Environment(new nunjucks.FileSystemLoader((renderer.env as unknown as { loaders: Array<{ searchPaths: string[] }> }).loaders[0].searchPaths), { autoescape: true });
  const contexts = [
    { radios: [{ name: 'a', idPrefix: 'a', fieldset: { legend: { text: 'Pick' } }, hint: { text: 'One' }, errorMessage: { text: 'Choose one' }, items: [{ value: '1', text: 'One', checked: true }, { value: '2', text: 'Two' }] }], summary: 'S', error: { text: 'Enter a name' }, hint: { text: 'As on the letter' } },
    { radios: [{ name: 'b', items: [{ value: 'x', text: 'X' }] }, { name: 'c', idPrefix: 'c', items: [{ value: 'y', text: 'Y', hint: { text: 'Why' } }] }], summary: 'T' },
    { radios: [], summary: 'U', error: undefined },
  ];

  it.each(contexts.map((c, i) => [i, c]))('renders context %s as nunjucks does, each time', (_i, context) => {
    const expected = plain.renderString(page, context);
    expect(renderer.env.renderString(page, context)).toBe(expected);
    expect(renderer.env.renderString(page, context)).toBe(expected);
  });
});

describe('Renderer frames', () => {
  const env = new Renderer().env;

  it('sets loop variables, dotted names and outer variables as nunjucks does', () => {
    const template = `{% set total = 0 %}{% set seen = "" %}{% for x in xs %}{% set total = total + x %}{% set inner = x %}[{{ loop.index }}/{{ loop.length }}{{ "F" if loop.first }}{{ "L" if loop.last }}:{{ x }}]{% endfor %} {{ total }} {{ inner or "none" }}`;
    // A set inside a loop changes the variable outside it (its frame is found upwards); a new one stays inside.
    expect(env.renderString(template, { xs: [3, 4, 5] })).toBe('[1/3F:3][2/3:4][3/3L:5] 12 none');
    expect(env.renderString('{% macro m(a, b) %}{% set c = a + b %}{{ c }}{% endmacro %}{{ m(1, 2) }}{{ m(b=5, a=1) }}{{ c or "-" }}', {})).toBe('36-');
  });
});
