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
    const loader = new nunjucks.FileSystemLoader([join(projectRoot(), 'libs', 'web', 'views'), GOVUK_FRONTEND_DIST], { noCache: process.env.NODE_ENV === 'development' });
    rememberResolvedNames(loader);
    this.env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false });
    rememberPlainImports(this.env);
    setFramesWithoutSplitting();
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

type Exports = Record<string, unknown>;
type ExportsCallback = (err: unknown, exported?: Exports) => void;
const exportsByTemplate = new WeakMap<nunjucks.Template, Exports>();
const environmentsRememberingImports = new WeakSet<nunjucks.Environment>();
let importsPatched = false;

/**
 * `{% from "x" import y %}` (without context) runs x's whole top level on every render to collect
 * its macros, and every GOV.UK component does so again for its own parts on every call: on the
 * case page that was a large share of rendering. Without context the exports depend only on the
 * template (its top level sees an empty context and the environment's globals), so they are kept
 * per compiled template. A macro makes a fresh frame on each call and an included template a fresh
 * context, so sharing the exported macros between renders shares nothing a render writes. In
 * development (noCache) each render compiles new template objects, so nothing stale is kept.
 * Imports "with context" are left alone: theirs depend on the page.
 */
function rememberPlainImports(env: nunjucks.Environment): void {
  environmentsRememberingImports.add(env);
  if (importsPatched) return;
  importsPatched = true;
  const prototype = nunjucks.Template.prototype as unknown as {
    getExported(this: nunjucks.Template & { env: nunjucks.Environment }, ...args: unknown[]): void;
  };
  const original = prototype.getExported;
  prototype.getExported = function (this: nunjucks.Template & { env: nunjucks.Environment }, ...args: unknown[]) {
    const cb = args[0];
    if (args.length !== 1 || typeof cb !== 'function' || !environmentsRememberingImports.has(this.env)) return original.apply(this, args);
    const known = exportsByTemplate.get(this);
    if (known) return (cb as ExportsCallback)(null, known);
    return original.call(this, (err: unknown, exported?: Exports) => {
      if (!err && exported) exportsByTemplate.set(this, exported);
      (cb as ExportsCallback)(err, exported);
    });
  };
}

interface NunjucksFrame {
  variables: Record<string, unknown>;
  resolve(name: string, forWrite: boolean): NunjucksFrame | undefined;
  set(name: string, value: unknown, resolveUp?: boolean): void;
}
let framesPatched = false;

/**
 * Nunjucks' Frame.set, with the same effect, without splitting the name on "." on every call:
 * it runs for every loop variable (eight per iteration: the item and loop.index, loop.first...)
 * and every macro argument, and was the costliest single function of rendering. A plain name is
 * set directly; a dotted one ("loop.index") uses its parts split once. The same for every environment
 * (the e-mails' too), as it changes only the speed.
 */
function setFramesWithoutSplitting(): void {
  if (framesPatched) return;
  framesPatched = true;
  const prototype = (nunjucks.runtime as unknown as { Frame: { prototype: NunjucksFrame } }).Frame.prototype;
  const partsOf = new Map<string, string[]>();
  prototype.set = function (this: NunjucksFrame, name: string, value: unknown, resolveUp?: boolean) {
    let parts: string[] | undefined;
    if (name.indexOf('.') !== -1) {
      parts = partsOf.get(name);
      if (!parts) {
        parts = name.split('.');
        // Names come from templates, so there are few; a cap keeps an odd caller from growing it.
        if (partsOf.size < 1000) partsOf.set(name, parts);
      }
    }
    if (resolveUp) {
      const frame = this.resolve(parts ? parts[0] : name, true);
      if (frame) {
        frame.set(name, value);
        return;
      }
    }
    if (!parts) {
      this.variables[name] = value;
      return;
    }
    let target = this.variables;
    for (let i = 0; i < parts.length - 1; i++) {
      const id = parts[i];
      if (!target[id]) target[id] = {};
      target = target[id] as Record<string, unknown>;
    }
    target[parts[parts.length - 1]] = value;
  };
}

/** A relative template name ("./template.njk" in every GOV.UK macro) resolved once per parent, not with path.resolve on every call. */
function rememberResolvedNames(loader: nunjucks.FileSystemLoader): void {
  const resolved = new Map<string, string>();
  const target = loader as unknown as { resolve(from: string, to: string): string };
  const resolve = target.resolve.bind(loader);
  target.resolve = (from: string, to: string) => {
    const key = from + '\0' + to;
    let name = resolved.get(key);
    if (name === undefined) resolved.set(key, (name = resolve(from, to)));
    return name;
  };
}

/**
 * Nunjucks' own trim, with the same result: its regular expression (/^\s*|\s*$/g) takes time in
 * the square of every run of whitespace, and GOV.UK Frontend's macros trim their nested output,
 * which holds runs of hundreds of blank characters (a form's inputs), so on the case page it was a
 * third of all rendering. String.prototype.trim strips the same characters as \s, in linear time.
 */
function linearTrim(value: string | InstanceType<typeof SafeString>): string | InstanceType<typeof SafeString> {
  return value instanceof SafeString ? new SafeString(value.val.trim()) : value.trim();
}
