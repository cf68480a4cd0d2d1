/**
 * The text of an editable page: plain paragraphs with a small markup an administrator can type in
 * a text box, read into blocks the template writes out with escaping. Nothing typed is ever used
 * as HTML, so a page cannot carry a script or a form however it is edited.
 *
 * - a blank line starts a new paragraph
 * - a line starting "## " is a heading
 * - lines starting "- " are a bulleted list
 * - [words](address) is a link; e-mail addresses and https:// addresses are linked as they are
 * - a line "[retention periods]" is where the retention schedule's periods go, as they are when
 *   the page is shown (SiteTextBlocks), so a notice never tells people a period the schedule no
 *   longer keeps
 */
export type Inline = { text: string; href?: string };
export type Block = { kind: 'heading'; text: string; id: string } | { kind: 'paragraph'; inlines: Inline[] } | { kind: 'list'; items: Inline[][] } | { kind: 'retentionPeriods' };

/** The line that stands for the retention schedule's periods. */
export const RETENTION_PERIODS_MARKER = /^\[retention periods\]$/i;

/** Where a link may go: the web (http or https), an e-mail address, or a page of this service. */
export function allowedHref(href: string): boolean {
  return /^https?:\/\/[^\s<>"'`]+$/i.test(href) || /^mailto:[^\s@<>"'`]+@[^\s@<>"'`]+$/i.test(href) || /^\/(?!\/)[A-Za-z0-9/_#?=&.-]*$/.test(href);
}

const LINK = /\[([^\]\n]+)\]\(([^)\s]+)\)/g;
const BARE = /(https?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)])|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g;

function bareLinks(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(BARE)) {
    if (m.index! > last) out.push({ text: text.slice(last, m.index) });
    out.push(m[1] ? { text: m[1], href: m[1] } : { text: m[2], href: `mailto:${m[2]}` });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

export function readInlines(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    if (m.index! > last) out.push(...bareLinks(text.slice(last, m.index)));
    const href = m[2].includes('@') && !/^[a-z]+:/i.test(m[2]) ? `mailto:${m[2]}` : m[2];
    // A link to somewhere not allowed stays as its words: the check on saving says why.
    out.push(allowedHref(href) ? { text: m[1], href } : { text: m[1] });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push(...bareLinks(text.slice(last)));
  return out;
}

export function readSiteText(body: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  let list: string[] | null = null;
  const usedIds = new Set<string>();
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', inlines: readInlines(paragraph.join(' ')) });
    if (list) blocks.push({ kind: 'list', items: list.map(readInlines) });
    paragraph = [];
    list = null;
  };
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (line === '') {
      flush();
    } else if (RETENTION_PERIODS_MARKER.test(line)) {
      flush();
      blocks.push({ kind: 'retentionPeriods' });
    } else if (line.startsWith('## ')) {
      flush();
      const text = line.slice(3).trim();
      let id = text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'section';
      while (usedIds.has(id)) id += '-2';
      usedIds.add(id);
      blocks.push({ kind: 'heading', text, id });
    } else if (/^[-*] /.test(line)) {
      if (paragraph.length) flush();
      (list ??= []).push(line.slice(2).trim());
    } else if (list) {
      // A line under a bullet, not starting one, carries on that bullet.
      list[list.length - 1] += ` ${line}`;
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

/** What is wrong with a body before it is saved, as sentences for the form. */
export function siteTextProblems(body: string): string[] {
  const problems: string[] = [];
  for (const m of body.matchAll(LINK)) {
    const href = m[2].includes('@') && !/^[a-z]+:/i.test(m[2]) ? `mailto:${m[2]}` : m[2];
    if (!allowedHref(href)) problems.push(`The link “${m[1]}” must go to a web address starting https://, an e-mail address, or a page of this service starting /`);
  }
  return problems;
}
