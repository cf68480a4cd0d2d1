/**
 * What a document says, as a list of blocks; how it looks (type, spacing, page breaks, page numbers)
 * is decided in one place, renderPdf, so every PDF the service makes reads the same.
 * Texts are plain words: no markup is interpreted, line breaks in a paragraph are kept.
 */
export type PdfBlock =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string; style?: 'normal' | 'small' | 'strong' }
  | { kind: 'list'; items: string[]; numbered?: boolean }
  /** A GOV.UK summary list: a bold key beside each value. */
  | { kind: 'keyValues'; rows: Array<[string, string]> }
  /** Rows break across pages and the head is repeated at the top of each page. */
  | { kind: 'table'; head: string[]; rows: string[][] }
  /** A missing merge field in a letter preview: the text is shown as given, visibly marked (bold, on yellow, with a bar). */
  | { kind: 'gap'; text: string }
  | { kind: 'pageBreak' };

export interface PdfSpec {
  /** The document's title in its metadata and in the reader's title bar; not printed (give a heading block for that). */
  title: string;
  subject?: string;
  author?: string;
  /** BCP 47; en-GB unless told otherwise. */
  lang?: string;
  blocks: PdfBlock[];
  /** Printed at the foot of every page, beside "Page 2 of 9". */
  footer?: string;
}
