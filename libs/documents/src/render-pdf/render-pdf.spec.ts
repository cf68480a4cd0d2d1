import { inflateSync } from 'node:zlib';
import { renderPdf, type PdfSpec } from '@cc/documents';
import { readPdfText as readBack } from '../../../../test/support/pdf-text';

/** The PDF's objects as text: pdfkit writes dictionaries uncompressed, so fonts and tags can be seen in them. */
function objects(pdf: Buffer): string {
  return pdf.toString('latin1');
}

/** Every page's content stream, inflated: what is drawn and how it is marked. */
function contentStreams(pdf: Buffer): string {
  const raw = objects(pdf);
  const out: string[] = [];
  const re = /(?<!end)stream\r?\n/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(raw))) {
    const start = match.index + match[0].length;
    const end = raw.indexOf('endstream', start);
    if (end < 0) break;
    try {
      out.push(inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // not deflated (or not a content stream): skip it
    }
    re.lastIndex = end;
  }
  return out.join('\n');
}

const spec: PdfSpec = {
  title: 'Case file CC-2026-0001',
  subject: 'Everything on the case',
  author: 'Compact Cases',
  footer: 'Case CC-2026-0001, made on 1 December 2026',
  blocks: [
    { kind: 'heading', level: 1, text: 'Case file: CC-2026-0001' },
    { kind: 'paragraph', text: 'The fee is £1,200.00 – split “half and half”.\nA second line stays a line.' },
    { kind: 'paragraph', text: 'Small print here.', style: 'small' },
    { kind: 'paragraph', text: 'Strong words here.', style: 'strong' },
    { kind: 'heading', level: 2, text: 'What happened' },
    { kind: 'list', items: ['First thing', 'Second thing'], numbered: true },
    { kind: 'list', items: ['A bullet', 'Another bullet'] },
    { kind: 'heading', level: 3, text: 'The parties' },
    { kind: 'keyValues', rows: [['Reference', 'CC-2026-0001'], ['Public body', 'Anytown Borough Council']] },
    { kind: 'gap', text: 'Missing: the public body’s postal address' },
    { kind: 'paragraph', text: 'An emoji 😀 the face has no glyph for.' },
    { kind: 'heading', level: 2, text: 'Timeline' },
    {
      kind: 'table',
      head: ['When', 'Who', 'What happened'],
      rows: Array.from({ length: 150 }, (_, i) => [`${(i % 28) + 1} March 2026`, 'Casey Worker', `Entry number ${i + 1}: ${'something was done '.repeat((i % 6) + 1)}`]),
    },
    // One cell longer than a page: it must run on, never be cut.
    { kind: 'table', head: ['When', 'Note'], rows: [['2 March 2026', Array.from({ length: 1400 }, (_, i) => `w${i}`).join(' ')]] },
    { kind: 'pageBreak' },
    { kind: 'paragraph', text: 'The very last paragraph.' },
  ],
};

describe('renderPdf', () => {
  let pdf: Buffer;
  let back: Awaited<ReturnType<typeof readBack>>;

  beforeAll(async () => {
    pdf = await renderPdf(spec);
    back = await readBack(pdf);
  });

  it('is a PDF whose text reads back: headings, paragraphs, lists, summary list, gap, table cells', () => {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    for (const words of [
      'Case file: CC-2026-0001',
      'The fee is £1,200.00 – split “half and half”.',
      'A second line stays a line.',
      'Small print here.',
      'Strong words here.',
      'First thing',
      'Another bullet',
      'Anytown Borough Council',
      'Missing: the public body’s postal address',
      'An emoji ? the face has no glyph for.',
      'Entry number 1:',
      'Entry number 150:',
      'The very last paragraph.',
    ]) {
      expect(back.text).toContain(words);
    }
  });

  it('keeps every word of a cell taller than a page, in order, across pages', () => {
    const words = back.text.match(/\bw\d+\b/g) ?? [];
    expect(words).toHaveLength(1400);
    expect(words[0]).toBe('w0');
    expect(words[1399]).toBe('w1399');
  });

  it('numbers every page "Page n of N" with the footer, and breaks long content over pages', () => {
    expect(back.total).toBeGreaterThan(4);
    back.pages.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1} of ${back.total}`);
      expect(text).toContain('Case CC-2026-0001, made on 1 December 2026');
    });
    // The explicit page break: the last paragraph is alone on the last page.
    expect(back.pages[back.total - 1]).toContain('The very last paragraph.');
    expect(back.pages[back.total - 2]).not.toContain('The very last paragraph.');
  });

  it('repeats the table head at the top of a page the table runs on to', () => {
    const continued = back.pages.filter((text) => /Entry number \d+/.test(text) && !text.includes('Timeline'));
    expect(continued.length).toBeGreaterThan(0);
    for (const text of continued) expect(text).toContain('What happened');
  });

  it('embeds its fonts (TrueType, subset) and never names an unembedded standard font', () => {
    const raw = objects(pdf);
    const fonts = raw.match(/\/Type \/Font\b/g) ?? [];
    const embedded = raw.match(/\/FontFile2 \d+ 0 R/g) ?? [];
    expect(fonts.length).toBeGreaterThanOrEqual(2);
    expect(embedded.length).toBeGreaterThanOrEqual(2);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+LiberationSans\b/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+LiberationSans-Bold\b/);
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    // Text is selectable and copies as words: each font maps its glyphs back to Unicode.
    expect((raw.match(/\/ToUnicode \d+ 0 R/g) ?? []).length).toBe(embedded.length);
  });

  it('is tagged for screen readers, with its title shown and its language set', () => {
    const raw = objects(pdf);
    expect(back.title).toBe('Case file CC-2026-0001');
    expect(raw).toContain('/StructTreeRoot');
    expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
    expect(raw).toContain('/Marked true');
    expect(raw).toContain('/DisplayDocTitle true');
    expect(raw).toMatch(/\/Lang \(en-GB\)/);
    for (const tag of ['Document', 'H1', 'H2', 'H3', 'P', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'TR', 'TH', 'TD']) {
      expect(raw).toMatch(new RegExp(`/S /${tag}\\b`));
    }
    expect(raw).toMatch(/\/Scope \/Column/);
    expect(raw).toMatch(/\/Scope \/Row/);
    // Page numbers and rules are artifacts, not content.
    expect(/\/Artifact <<\s*\/Type \/Pagination\s*>> BDC/.test(contentStreams(pdf))).toBe(true);
  });

  it('sets another language when told, and renders an empty document to one numbered page', async () => {
    const empty = await renderPdf({ title: 'Nothing', lang: 'cy', blocks: [] });
    expect(objects(empty)).toMatch(/\/Lang \(cy\)/);
    const read = await readBack(empty);
    expect(read.total).toBe(1);
    expect(read.text).toContain('Page 1 of 1');
  });

  it('drops control characters and lone surrogates rather than failing', async () => {
    const odd = await renderPdf({ title: 'Odd\u0000 text', blocks: [{ kind: 'paragraph', text: 'Bell\u0007 and \ud800 lone\ttab' }] });
    const read = await readBack(odd);
    expect(read.text).toMatch(/Bell and +lone +tab/);
    expect(read.title).toBe('Odd text');
  });
});
