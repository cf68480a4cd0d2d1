/**
 * The e-mail templates are Nunjucks files in libs/notifications/views/emails, beside the pages'
 * templates in libs/web/views: one file per message, named after its template, and shared layouts
 * (files starting with "_") that lay every message out as plain text and as HTML.
 *
 * A message file says what the e-mail says by calling subject(), intro(), fact(), todo(), next()
 * and linkText() (or note() for account e-mails); it writes nothing itself. The layouts then write
 * those words out, escaping every value in the HTML. So the words of a message are all in its file,
 * and how every e-mail looks is in the layouts.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nunjucks from 'nunjucks';

/** The folder holding libs/notifications/views, found from here so that compiled (dist/) and test runs agree. */
export function emailViewsFolder(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'libs', 'notifications', 'views', 'emails'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find libs/notifications/views above ${from}; run from the project checkout.`);
    dir = parent;
  }
  return join(dir, 'libs', 'notifications', 'views');
}

/** The file of one message. */
export const emailFile = (template: string) => `emails/${template}.njk`;

export const emailFileExists = (template: string) => existsSync(join(emailViewsFolder(), emailFile(template)));

let environments: { plain: nunjucks.Environment; html: nunjucks.Environment } | undefined;

function envs() {
  if (!environments) {
    const loader = () => new nunjucks.FileSystemLoader(emailViewsFolder(), { noCache: process.env.NODE_ENV === 'development' });
    // Tags on a line of their own leave no blank line behind, so the text layout reads as the e-mail does.
    const layout = { throwOnUndefined: false, trimBlocks: true, lstripBlocks: true };
    environments = {
      // The message files and the text layout: nothing here is HTML, so nothing is escaped.
      plain: new nunjucks.Environment(loader(), { ...layout, autoescape: false }),
      // The HTML layout escapes every value it writes.
      html: new nunjucks.Environment(loader(), { ...layout, autoescape: true }),
    };
  }
  return environments;
}

export type FactValue = string | string[] | undefined;

/** What a case e-mail says, as its file says it. */
export interface CaseMessage {
  subject: string;
  intro: string[];
  facts: Array<{ label: string; value?: string; items?: string[] }>;
  todo: string[];
  next: string[];
  linkText?: string;
}

/** What an account e-mail says. */
export interface AccountMessage {
  subject: string;
  intro: string[];
  linkText?: string;
  notes: string[];
}

const words = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** Runs a message file with the calls it may make; anything it writes itself is a mistake in the file. */
function collect(template: string, context: object, calls: Record<string, (...args: unknown[]) => void>): void {
  const said = Object.fromEntries(Object.entries(calls).map(([name, call]) => [name, (...args: unknown[]) => (call(...args), '')]));
  const stray = envs().plain.render(emailFile(template), { ...context, ...said }).trim();
  if (stray) throw new Error(`E-mail template ${template} writes text of its own ("${stray.slice(0, 60)}"); words go in subject(), intro(), fact(), todo(), next(), linkText() or note()`);
}

export function caseMessage(template: string, context: object): CaseMessage {
  const m: CaseMessage = { subject: '', intro: [], facts: [], todo: [], next: [] };
  const paragraph = (into: string[]) => (text: unknown) => void (words(text) && into.push(words(text)));
  collect(template, context, {
    subject: (text) => void (m.subject = words(text)),
    intro: paragraph(m.intro),
    todo: paragraph(m.todo),
    next: paragraph(m.next),
    linkText: (text) => void (m.linkText = words(text) || undefined),
    // A fact with no value is left out: the e-mail shows only what is known.
    fact: (label, value) => {
      if (Array.isArray(value)) {
        const items = value.map(words).filter(Boolean);
        if (items.length) m.facts.push({ label: words(label), items });
      } else if (words(value)) m.facts.push({ label: words(label), value: words(value) });
    },
  });
  if (!m.subject) throw new Error(`E-mail template ${template} gives no subject()`);
  return m;
}

export function accountMessage(template: string, context: object): AccountMessage {
  const m: AccountMessage = { subject: '', intro: [], notes: [] };
  collect(template, context, {
    subject: (text) => void (m.subject = words(text)),
    intro: (text) => void (words(text) && m.intro.push(words(text))),
    note: (text) => void (words(text) && m.notes.push(words(text))),
    linkText: (text) => void (m.linkText = words(text) || undefined),
  });
  if (!m.subject) throw new Error(`E-mail template ${template} gives no subject()`);
  return m;
}

/** Lays a message out with a shared layout: `emails/_<layout>.text.njk` and `emails/_<layout>.html.njk`. */
export function layOut(layout: 'case' | 'account' | 'letter', view: object): { text: string; html: string } {
  return {
    text: envs().plain.render(`emails/_${layout}.text.njk`, view),
    html: envs().html.render(`emails/_${layout}.html.njk`, view),
  };
}
