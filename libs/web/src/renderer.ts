import { Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nunjucks from 'nunjucks';

/** The folder holding `libs/web/views`, found from here so that compiled and test runs agree. */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'libs', 'web', 'views'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find libs/web/views above ' + from + '; run from the project checkout.');
    dir = parent;
  }
  return dir;
}

export const GOVUK_FRONTEND_DIST = dirname(require.resolve('govuk-frontend/package.json')) + '/dist';

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'Europe/London' });

/** £1,200.00: pounds and pence with thousands separators. */
const POUNDS = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Nunjucks with the GOV.UK Frontend macros; autoescaping on, so user text is never markup. */
@Injectable()
export class Renderer {
  readonly env: nunjucks.Environment;

  constructor() {
    this.env = new nunjucks.Environment(
      new nunjucks.FileSystemLoader([join(projectRoot(), 'libs', 'web', 'views'), GOVUK_FRONTEND_DIST], { noCache: process.env.NODE_ENV === 'development' }),
      { autoescape: true, throwOnUndefined: false },
    );
    this.env.addFilter('date', (v: string | Date | null | undefined) => (v ? DATE.format(typeof v === 'string' && v.length === 10 ? new Date(`${v}T12:00:00Z`) : new Date(v)) : ''));
    this.env.addFilter('dateTime', (v: string | Date | null | undefined) => (v ? DATE_TIME.format(new Date(v)) : ''));
    this.env.addFilter('pounds', (pence: number | null | undefined) => (pence == null ? '' : POUNDS.format(pence / 100)));
    this.env.addFilter('humanise', (v: string | null | undefined) => (v ? humanise(v) : ''));
    this.env.addFilter('trim', linearTrim);
    this.env.addGlobal('serviceName', 'Compact Cases');
  }

  render(template: string, context: Record<string, unknown>): string {
    return this.env.render(template, context);
  }
}

const { SafeString } = nunjucks.runtime;

/**
 * Nunjucks' own trim, with the same result: its regular expression (/^\s*|\s*$/g) takes time in
 * the square of every run of whitespace, and GOV.UK Frontend's macros trim their nested output,
 * which holds runs of hundreds of blank characters (a form's inputs), so on the case page it was a
 * third of all rendering. String.prototype.trim strips the same characters as \s, in linear time.
 */
function linearTrim(value: string | InstanceType<typeof SafeString>): string | InstanceType<typeof SafeString> {
  return value instanceof SafeString ? new SafeString(value.val.trim()) : value.trim();
}

/** "triage.reviewing" -> "Triage: reviewing"; "REQUEST_INFO" -> "Request info". */
export function humanise(value: string): string {
  const words = (s: string) => s.replace(/[_-]+/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const [head, ...rest] = value.split('.');
  const first = words(head);
  const text = rest.length ? `${first}: ${rest.map(words).join(', ')}` : first;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
