import { type PdfBlock, type PdfSpec, renderPdf } from '@cc/documents';
import { letterBlocks } from '../template-language/letter-text';
import { GAP_MARKER } from '../template-language/template-language';

export interface LetterForPdf {
  reference: string;
  caseTitle: string;
  subject: string;
  body: string;
  /** Who it is to, in words. */
  to: string;
  /** The date on the letter, in words. */
  dated: string;
  /** A draft (not sent): its gaps are marked and it says it is a draft. */
  draft?: boolean;
}

const hasMarker = (text: string) => new RegExp(GAP_MARKER.source).test(text);

/** The letter as a PDF: the programme's heading, the reference, date and addressees, then the letter. */
export function letterPdfSpec(letter: LetterForPdf): PdfSpec {
  const blocks: PdfBlock[] = [
    { kind: 'paragraph', text: 'Compact Advocacy', style: 'strong' },
    ...(letter.draft ? [{ kind: 'paragraph' as const, text: 'Draft: not sent.', style: 'strong' as const }] : []),
    {
      kind: 'keyValues',
      rows: [
        ['Our reference', letter.reference],
        ['Date', letter.dated],
        ['To', letter.to],
      ],
    },
    hasMarker(letter.subject) ? { kind: 'gap', text: letter.subject } : { kind: 'heading', level: 1, text: letter.subject },
  ];
  for (const b of letterBlocks(letter.body)) {
    // A paragraph still missing a field is drawn as a marked gap: a draft never hides what is missing.
    if (b.kind === 'heading') blocks.push(hasMarker(b.text) ? { kind: 'gap', text: b.text } : { kind: 'heading', level: 2, text: b.text });
    else if (b.kind === 'paragraph') blocks.push(hasMarker(b.text) ? { kind: 'gap', text: b.text } : { kind: 'paragraph', text: b.text });
    else if (b.items.some(hasMarker)) blocks.push(...b.items.map((item): PdfBlock => (hasMarker(item) ? { kind: 'gap', text: item } : { kind: 'list', items: [item], numbered: b.numbered })));
    else blocks.push({ kind: 'list', items: b.items, numbered: b.numbered });
  }
  return {
    title: letter.subject.replace(GAP_MARKER, '…'),
    subject: `Letter about case ${letter.reference}: ${letter.caseTitle}`,
    author: 'Compact Cases',
    lang: 'en-GB',
    footer: `Case ${letter.reference}`,
    blocks,
  };
}

export function letterPdf(letter: LetterForPdf): Promise<Buffer> {
  return renderPdf(letterPdfSpec(letter));
}
