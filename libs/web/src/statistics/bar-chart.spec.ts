import { barChartSvg, escapeXml } from './bar-chart';

const widths = (svg: string) => [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));

describe('barChartSvg', () => {
  it('is one named, described image', () => {
    const svg = barChartSvg({ id: 'by-area', title: 'Breaches by area', bars: [{ label: 'Northshire', value: 9 }] });
    expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="by-area-title by-area-desc"/);
    expect(svg).toContain('<title id="by-area-title">Breaches by area</title>');
    expect(svg).toContain('<desc id="by-area-desc">Bar chart of 1 group. Largest: Northshire, 9 cases. The figures are in the table below.</desc>');
  });

  it('escapes labels and titles so no text becomes markup', () => {
    const svg = barChartSvg({ id: 'x', title: 'A & B <script>', bars: [{ label: '<script>alert("x")</script> & Co', value: 1 }] });
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
    expect(svg).toContain('A &amp; B &lt;script&gt;');
    expect(escapeXml(`'`)).toBe('&#39;');
  });

  it('scales the largest bar to the width less room for its number, the others in proportion', () => {
    const svg = barChartSvg({ id: 'x', title: 't', width: 610, bars: [{ label: 'a', value: 10 }, { label: 'b', value: 5 }, { label: 'c', value: 1 }] });
    expect(widths(svg)).toEqual([500, 250, 50]);
    expect(svg).toContain('>10 cases<');
    expect(svg).toContain('>1 case<');
    expect(svg).toContain('viewBox="0 0 610 146"');
  });

  it('shows zero as a hairline with its number, and all zeros without dividing by zero', () => {
    const svg = barChartSvg({ id: 'x', title: 't', bars: [{ label: 'a', value: 0 }, { label: 'b', value: 0 }] });
    expect(widths(svg)).toEqual([1, 1]);
    expect(svg).toContain('>0 cases<');
    expect(svg).not.toContain('NaN');
  });

  it('says so when there is nothing to draw', () => {
    const svg = barChartSvg({ id: 'x', title: 'Empty', bars: [] });
    expect(svg).toContain('<desc id="x-desc">No figures to show for this range.</desc>');
    expect(svg).not.toContain('<rect');
  });

  it('draws at most maxBars and says how many were left to the table', () => {
    const bars = Array.from({ length: 30 }, (_, i) => ({ label: `g${i}`, value: 30 - i }));
    const svg = barChartSvg({ id: 'x', title: 't', bars, maxBars: 20 });
    expect(widths(svg)).toHaveLength(20);
    expect(svg).toContain('(the 20 largest of 30)');
  });

  it('shortens a very long label (the table has it whole) and uses the unit given', () => {
    const svg = barChartSvg({ id: 'x', title: 't', unit: ['day', 'days'], bars: [{ label: 'x'.repeat(200), value: 2.5 }] });
    expect(svg).toContain(`${'x'.repeat(89)}…`);
    expect(svg).toContain('>2.5 days<');
  });
});
