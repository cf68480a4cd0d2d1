import PDFDocument from 'pdfkit';
import { documentFaces, type FontFace } from './fonts';
import type { PdfBlock, PdfSpec } from './pdf-spec';

/**
 * Makes a PDF in the process (no browser) from a PdfSpec: A4, GOV.UK-like plain type (an embedded
 * sans, 12 pt body, bold headings, black on white), tagged for screen readers (headings, paragraphs,
 * lists, tables and summary lists are structure elements; rules, backgrounds and page numbers are
 * artifacts), with its title and language set, text selectable and "Page 2 of 9" at every foot.
 * Long texts wrap and run on to the next page; table rows move whole to the next page with the head
 * repeated, and a row too tall for any page is laid out as its cells one under another instead of
 * being cut. Rendering yields to the event loop every few milliseconds, so one large case file does
 * not stall the requests around it.
 */
export async function renderPdf(spec: PdfSpec): Promise<Buffer> {
  const faces = documentFaces();
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    pdfVersion: '1.7',
    tagged: true,
    // PDF/UA asks for what a screen reader needs (tags, title shown, language, embedded fonts); pdfkit writes its marker.
    subset: 'PDF/UA' as unknown as PDFKit.Mixins.PDFSubsets,
    displayTitle: true,
    lang: spec.lang ?? 'en-GB',
    bufferPages: true,
    // A parsed face, not a path: no per-document parse, and pdfkit's default (unembedded) Helvetica is never loaded.
    font: faces.regular as unknown as string,
    info: {
      Title: clean(spec.title),
      ...(spec.subject ? { Subject: clean(spec.subject) } : {}),
      ...(spec.author ? { Author: clean(spec.author) } : {}),
      Creator: 'Compact Cases',
    },
  });
  const finished = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont(REGULAR, faces.regular as unknown as PDFKit.Mixins.PDFFontSource);
  doc.registerFont(BOLD, faces.bold as unknown as PDFKit.Mixins.PDFFontSource);
  const layout = new Layout(doc, faces.regular, faces.bold);
  await layout.blocks(spec.blocks);
  layout.pageFooters(spec.footer ? clean(spec.footer) : undefined);
  doc.end();
  return finished;
}

const REGULAR = 'Body';
const BOLD = 'Bold';
const MARGINS = { top: 56, bottom: 72, left: 56, right: 56 };
const BODY = 12;
const SMALL = 10;
const LINE_GAP = 3;
const HEADING_SIZE = { 1: 22, 2: 17, 3: 13.5 } as const;
const HEADING_SPACE_BEFORE = { 1: 20, 2: 16, 3: 10 } as const;
const TEXT = '#0b0c0c';
const RULE = '#b1b4b6';
const GAP_BACKGROUND = '#ffdd00';
const CELL_PAD_X = 8;
const CELL_PAD_Y = 5;
const LIST_INDENT = 18;
const YIELD_EVERY_MS = 15;

/** Characters a PDF text run must not carry (controls, lone surrogates); tabs read as spaces. */
function clean(text: string): string {
  return String(text ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '    ')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

type StructureElement = PDFKit.PDFStructureElement;

interface Cell {
  text: string;
  bold: boolean;
  /** 'TH' with a scope for heads, 'TD' for data. */
  type: 'TH' | 'TD';
  scope?: 'Row' | 'Column';
}

class Layout {
  private readonly root: StructureElement;
  private lastYield = performance.now();
  private readonly regularGlyphs = new Map<number, boolean>();
  private readonly boldGlyphs = new Map<number, boolean>();
  private face: FontFace;

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly regularFace: FontFace,
    private readonly boldFace: FontFace,
  ) {
    this.root = doc.struct('Document');
    doc.addStructure(this.root);
    doc.fillColor(TEXT).strokeColor(TEXT);
    this.face = regularFace;
  }

  async blocks(blocks: PdfBlock[]): Promise<void> {
    for (const block of blocks) {
      await this.block(block);
      await this.breathe();
    }
    this.root.end();
  }

  /** "Page 2 of 9" (and the footer text) on every page, drawn last because only then is the count known. */
  pageFooters(footer: string | undefined): void {
    const doc = this.doc;
    const { start, count } = doc.bufferedPageRange();
    for (let i = start; i < start + count; i += 1) {
      doc.switchToPage(i);
      // The foot sits in the bottom margin; without this pdfkit would start a new page for it.
      const bottomMargin = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      const y = doc.page.height - bottomMargin + 24;
      const width = this.width;
      const numberWidth = 90;
      doc.markContent('Artifact', { type: 'Pagination' });
      doc.font(REGULAR).fontSize(SMALL).fillColor(TEXT);
      doc.save().lineWidth(0.5).strokeColor(RULE).moveTo(this.left, y - 8).lineTo(this.left + width, y - 8).stroke().restore();
      if (footer) doc.text(this.safe(footer), this.left, y, { width: width - numberWidth - 12, lineGap: 1, height: 30, ellipsis: true });
      doc.text(`Page ${i - start + 1} of ${count}`, this.left + width - numberWidth, y, { width: numberWidth, align: 'right', lineBreak: false });
      doc.endMarkedContent();
      doc.page.margins.bottom = bottomMargin;
    }
  }

  private async block(block: PdfBlock): Promise<void> {
    switch (block.kind) {
      case 'heading':
        return this.heading(block.level, clean(block.text));
      case 'paragraph':
        return this.paragraph(clean(block.text), block.style ?? 'normal');
      case 'list':
        return this.list(block.items.map(clean), block.numbered ?? false);
      case 'keyValues':
        return this.keyValues(block.rows.map(([key, value]) => [clean(key), clean(value)]));
      case 'table':
        return this.table(block.head.map(clean), block.rows.map((row) => row.map(clean)));
      case 'gap':
        return this.gap(clean(block.text));
      case 'pageBreak':
        if (!this.atTopOfPage()) this.doc.addPage();
        return;
    }
  }

  private heading(level: 1 | 2 | 3, text: string): void {
    if (!text.trim()) return;
    const doc = this.doc;
    this.useFont(true, HEADING_SIZE[level]);
    const height = doc.heightOfString(this.safe(text), { width: this.width, lineGap: LINE_GAP });
    // Keep a heading with the first lines of what follows it.
    this.ensureRoom(height + 3 * this.lineHeight(BODY));
    if (!this.atTopOfPage()) doc.y += HEADING_SPACE_BEFORE[level];
    const y = doc.y;
    this.root.add(
      doc.struct(`H${level}`, {}, () => {
        this.useFont(true, HEADING_SIZE[level]);
        doc.text(this.safe(text), this.left, y, { width: this.width, lineGap: LINE_GAP });
      }),
    );
    doc.y += level === 1 ? 10 : 6;
  }

  private paragraph(text: string, style: 'normal' | 'small' | 'strong'): void {
    if (!text.trim()) return;
    const doc = this.doc;
    const size = style === 'small' ? SMALL : BODY;
    this.ensureRoom(2 * this.lineHeight(size));
    const y = doc.y;
    this.root.add(
      doc.struct('P', {}, () => {
        this.useFont(style === 'strong', size);
        doc.text(this.safe(text), this.left, y, { width: this.width, lineGap: LINE_GAP });
      }),
    );
    doc.y += size * 0.75;
  }

  private async list(items: string[], numbered: boolean): Promise<void> {
    const shown = items.filter((item) => item.trim());
    if (!shown.length) return;
    const doc = this.doc;
    const list = doc.struct('L');
    this.root.add(list);
    for (let i = 0; i < shown.length; i += 1) {
      this.ensureRoom(this.lineHeight(BODY));
      const y = doc.y;
      const item = doc.struct('LI');
      list.add(item);
      item.add(
        doc.struct('Lbl', {}, () => {
          this.useFont(false, BODY);
          doc.text(numbered ? `${i + 1}.` : '\u2022', this.left, y, { width: LIST_INDENT, lineBreak: false });
        }),
      );
      item.add(
        doc.struct('LBody', {}, () => {
          this.useFont(false, BODY);
          doc.text(this.safe(shown[i]), this.left + LIST_INDENT, y, { width: this.width - LIST_INDENT, lineGap: LINE_GAP });
        }),
      );
      item.end();
      doc.x = this.left;
      doc.y += 4;
      await this.breathe();
    }
    list.end();
    doc.y += BODY * 0.5;
  }

  private async keyValues(rows: Array<[string, string]>): Promise<void> {
    if (!rows.length) return;
    const keyWidth = Math.round(this.width * 0.36);
    await this.grid(
      undefined,
      rows.map(([key, value]) => [
        { text: key, bold: true, type: 'TH', scope: 'Row' },
        { text: value, bold: false, type: 'TD' },
      ]),
      [keyWidth, this.width - keyWidth],
    );
  }

  private async table(head: string[], rows: string[][]): Promise<void> {
    const columns = Math.max(head.length, ...rows.map((row) => row.length));
    if (!columns) return;
    const headCells: Cell[] | undefined = head.length
      ? Array.from({ length: columns }, (_, i) => ({ text: head[i] ?? '', bold: true, type: 'TH' as const, scope: 'Column' as const }))
      : undefined;
    const bodyCells: Cell[][] = rows.map((row) =>
      Array.from({ length: columns }, (_, i) => ({ text: row[i] ?? '', bold: false, type: 'TD' as const })),
    );
    await this.grid(headCells, bodyCells, this.columnWidths(headCells, bodyCells, columns));
  }

  /** A visibly marked gap: bold words on yellow with a black bar, so a missing merge field cannot pass unseen. */
  private gap(text: string): void {
    if (!text.trim()) return;
    const doc = this.doc;
    const pad = 6;
    const bar = 5;
    const innerWidth = this.width - bar - 2 * pad;
    this.useFont(true, BODY);
    const height = doc.heightOfString(this.safe(text), { width: innerWidth, lineGap: LINE_GAP }) + 2 * pad;
    this.ensureRoom(Math.min(height, this.pageContentHeight()));
    const y = doc.y;
    if (y + height <= this.bottom) {
      doc.markContent('Artifact', { type: 'Layout' });
      doc.save().rect(this.left, y, this.width, height).fill(GAP_BACKGROUND).restore();
      doc.save().rect(this.left, y, bar, height).fill(TEXT).restore();
      doc.endMarkedContent();
    }
    this.root.add(
      doc.struct('P', {}, () => {
        this.useFont(true, BODY);
        doc.fillColor(TEXT).text(this.safe(text), this.left + bar + pad, y + pad, { width: innerWidth, lineGap: LINE_GAP });
      }),
    );
    doc.x = this.left;
    doc.y = Math.max(doc.y, y + height) + BODY * 0.75;
  }

  /** Rows of cells drawn as a tagged table (Table > TR > TH/TD), a rule under each row. */
  private async grid(head: Cell[] | undefined, rows: Cell[][], widths: number[]): Promise<void> {
    const doc = this.doc;
    const table = doc.struct('Table');
    this.root.add(table);
    if (head) {
      this.ensureRoom(this.rowHeight(head, widths) + this.lineHeight(BODY) + 2 * CELL_PAD_Y);
      this.row(table, head, widths, 1.5);
    }
    for (const row of rows) {
      const height = this.rowHeight(row, widths);
      if (height > this.pageContentHeight() - (head ? this.rowHeight(head, widths) : 0)) {
        this.stackedRow(table, row, head);
      } else {
        if (doc.y + height > this.bottom) {
          doc.addPage();
          // The head again at the top of each page, for the eye only: a reader has it once.
          if (head) this.artifactRow(head, widths, 1.5);
        }
        this.row(table, row, widths, 0.5);
      }
      await this.breathe();
    }
    table.end();
    doc.x = this.left;
    doc.y += BODY * 0.75;
  }

  private row(table: StructureElement, cells: Cell[], widths: number[], rule: number): void {
    const doc = this.doc;
    const y = doc.y;
    const height = this.rowHeight(cells, widths);
    const tr = doc.struct('TR');
    table.add(tr);
    let x = this.left;
    cells.forEach((cell, i) => {
      const cellX = x;
      const options = cell.scope ? ({ scope: cell.scope } as PDFKit.Mixins.StructureElementOptions) : {};
      tr.add(
        doc.struct(cell.type, options, () => {
          if (!cell.text) return;
          this.useFont(cell.bold, BODY);
          doc.text(this.safe(cell.text), cellX, y + CELL_PAD_Y, { width: widths[i] - CELL_PAD_X, lineGap: LINE_GAP });
        }),
      );
      x += widths[i];
    });
    tr.end();
    this.rule(y + height, rule);
    doc.x = this.left;
    doc.y = y + height;
  }

  private artifactRow(cells: Cell[], widths: number[], rule: number): void {
    const doc = this.doc;
    const y = doc.y;
    const height = this.rowHeight(cells, widths);
    doc.markContent('Artifact', { type: 'Pagination' });
    let x = this.left;
    cells.forEach((cell, i) => {
      this.useFont(cell.bold, BODY);
      if (cell.text) doc.text(this.safe(cell.text), x, y + CELL_PAD_Y, { width: widths[i] - CELL_PAD_X, lineGap: LINE_GAP });
      x += widths[i];
    });
    doc.endMarkedContent();
    this.rule(y + height, rule);
    doc.x = this.left;
    doc.y = y + height;
  }

  /** A row taller than a page: its cells one under another (head words in bold), each running on across pages. */
  private stackedRow(table: StructureElement, cells: Cell[], head: Cell[] | undefined): void {
    const doc = this.doc;
    const tr = doc.struct('TR');
    table.add(tr);
    cells.forEach((cell, i) => {
      const label = head?.[i]?.text;
      this.ensureRoom(2 * this.lineHeight(BODY));
      const y = doc.y + CELL_PAD_Y;
      const options = cell.scope ? ({ scope: cell.scope } as PDFKit.Mixins.StructureElementOptions) : {};
      tr.add(
        doc.struct(cell.type, options, () => {
          if (label) {
            this.useFont(true, BODY);
            doc.text(`${this.safe(label)}: `, this.left, y, { width: this.width, lineGap: LINE_GAP, continued: true });
          }
          this.useFont(cell.bold, BODY);
          doc.text(this.safe(cell.text || ' '), label ? undefined : this.left, label ? undefined : y, { width: this.width, lineGap: LINE_GAP });
        }),
      );
      doc.x = this.left;
    });
    tr.end();
    this.rule(doc.y + CELL_PAD_Y, 0.5);
    doc.y += CELL_PAD_Y;
  }

  private rule(y: number, width: number): void {
    const doc = this.doc;
    doc.markContent('Artifact', { type: 'Layout' });
    doc.save().lineWidth(width).strokeColor(width > 1 ? TEXT : RULE).moveTo(this.left, y).lineTo(this.left + this.width, y).stroke().restore();
    doc.endMarkedContent();
  }

  private rowHeight(cells: Cell[], widths: number[]): number {
    let height = this.lineHeight(BODY);
    cells.forEach((cell, i) => {
      if (!cell.text) return;
      this.useFont(cell.bold, BODY);
      height = Math.max(height, this.doc.heightOfString(this.safe(cell.text), { width: widths[i] - CELL_PAD_X, lineGap: LINE_GAP }));
    });
    return height + 2 * CELL_PAD_Y;
  }

  /**
   * Narrow columns (dates, names) get the width their longest text needs; the others share what is
   * left in proportion to how much they hold, so long text gets the room and short text never wraps.
   */
  private columnWidths(head: Cell[] | undefined, rows: Cell[][], columns: number): number[] {
    const sample = [...(head ? [head] : []), ...rows.slice(0, 200)];
    const natural = Array.from({ length: columns }, (_, i) => {
      let widest = 0;
      for (const row of sample) {
        const cell = row[i];
        if (!cell?.text) continue;
        this.useFont(cell.bold, BODY);
        for (const line of cell.text.split('\n')) widest = Math.max(widest, this.doc.widthOfString(this.safe(line)));
      }
      return widest + CELL_PAD_X + 1;
    });
    const total = this.width;
    const sum = natural.reduce((a, b) => a + b, 0);
    if (sum <= total) return natural.map((w) => (w / sum) * total);
    const fair = total / columns;
    const narrow = natural.map((w) => w <= fair);
    const narrowSum = natural.reduce((a, w, i) => (narrow[i] ? a + w : a), 0);
    const wideSum = sum - narrowSum;
    const rest = total - narrowSum;
    return natural.map((w, i) => (narrow[i] ? w : (w / wideSum) * rest));
  }

  private useFont(bold: boolean, size: number): void {
    this.doc.font(bold ? BOLD : REGULAR).fontSize(size);
    this.face = bold ? this.boldFace : this.regularFace;
  }

  /** A character the embedded face has no glyph for (an emoji, say) would print as an empty box and read back as nothing: show "?" instead. */
  private safe(text: string): string {
    const face = this.face;
    const cache = face === this.boldFace ? this.boldGlyphs : this.regularGlyphs;
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80 || ch === '\n') {
        out += ch;
        continue;
      }
      let has = cache.get(cp);
      if (has === undefined) {
        has = face.hasGlyphForCodePoint(cp);
        cache.set(cp, has);
      }
      out += has ? ch : '?';
    }
    return out;
  }

  private ensureRoom(height: number): void {
    if (this.doc.y + height > this.bottom && !this.atTopOfPage()) this.doc.addPage();
  }

  private atTopOfPage(): boolean {
    return this.doc.y <= this.doc.page.margins.top + 0.5;
  }

  private lineHeight(size: number): number {
    return size * 1.15 + LINE_GAP;
  }

  private pageContentHeight(): number {
    return this.doc.page.height - this.doc.page.margins.top - this.doc.page.margins.bottom;
  }

  private get left(): number {
    return this.doc.page.margins.left;
  }

  private get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  private async breathe(): Promise<void> {
    if (performance.now() - this.lastYield < YIELD_EVERY_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.lastYield = performance.now();
  }
}
