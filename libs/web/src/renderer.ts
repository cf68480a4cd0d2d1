import { Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import nunjucks from 'nunjucks';
import { formatDate, formatDateTime, formatPence, humanise } from '@cc/wording';

/** Kept here for the pages that import it from the renderer; the words live in @cc/wording. */
export { humanise };

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

/** Nunjucks with the GOV.UK Frontend macros; autoescaping on, so user text is never markup. */
@Injectable()
export class Renderer {
  readonly env: nunjucks.Environment;

  constructor() {
    this.env = new nunjucks.Environment(
      new nunjucks.FileSystemLoader([join(projectRoot(), 'libs', 'web', 'views'), GOVUK_FRONTEND_DIST], { noCache: process.env.NODE_ENV === 'development' }),
      { autoescape: true, throwOnUndefined: false },
    );
    // Dates, times and money as the e-mails write them too (@cc/wording): "7 December 2026 at 2:30pm", "£1,200.00".
    this.env.addFilter('date', (v: string | Date | null | undefined) => formatDate(v) ?? '');
    this.env.addFilter('dateTime', (v: string | Date | null | undefined) => formatDateTime(v) ?? '');
    this.env.addFilter('pounds', (pence: number | null | undefined) => formatPence(pence) ?? '');
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
