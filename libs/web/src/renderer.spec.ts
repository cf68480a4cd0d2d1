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
