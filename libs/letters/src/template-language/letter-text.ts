/**
 * A letter's text is plain words laid out as people type them in a text box: paragraphs separated
 * by a blank line, lines starting "- " as a bulleted list, "1. " as a numbered one, and a line
 * starting "# " as a heading. The PDF, the e-mail and the page all read it the same way.
 */
import { GAP_MARKER } from './template-language';

export type LetterBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[]; numbered: boolean };

const BULLET = /^\s*[-*•]\s+/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+/;

export function letterBlocks(text: string): LetterBlock[] {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n+/)
    .map((p) => p.replace(/[ \t]+$/gm, '').replace(/^\n+|\n+$/g, ''))
    .filter((p) => p.trim() !== '');
  const blocks: LetterBlock[] = [];
  for (const p of paragraphs) {
    const lines = p.split('\n');
    if (lines.length === 1 && /^#{1,3}\s+/.test(lines[0])) blocks.push({ kind: 'heading', text: lines[0].replace(/^#{1,3}\s+/, '').trim() });
    else if (lines.every((l) => BULLET.test(l))) blocks.push({ kind: 'list', items: lines.map((l) => l.replace(BULLET, '').trim()), numbered: false });
    else if (lines.every((l) => NUMBERED.test(l))) blocks.push({ kind: 'list', items: lines.map((l) => l.replace(NUMBERED, '').trim()), numbered: true });
    else blocks.push({ kind: 'paragraph', text: p });
  }
  return blocks;
}

/** Whether a piece of the letter still has a gap marker in it. */
export const hasGap = (text: string) => new RegExp(GAP_MARKER.source).test(text);

/** The paragraphs of a letter as an e-mail shows them (lists as lines starting "- "). */
export function letterParagraphs(text: string): string[] {
  return letterBlocks(text).map((b) => (b.kind === 'list' ? b.items.map((item, i) => (b.numbered ? `${i + 1}. ${item}` : `- ${item}`)).join('\n') : b.text));
}
