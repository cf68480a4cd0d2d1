import fastifyHelmet, { FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AppConfig } from '@cc/config';
import { GOVUK_FRONTEND_DIST } from '@cc/web';

type Directives = Record<string, string[]>;

/** Where SwaggerUI and the queue dashboard are served; only their pages get a policy of their own. */
export const API_DOCS_PATH = '/api/docs';
const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * Security headers on every response (pages, the API's JSON, static files, errors, 404s), set by
 * helmet in an onRequest hook, so they are on the answer whichever code path writes it.
 *
 * The pages' Content-Security-Policy allows no inline script or style. GOV.UK Frontend's template
 * has one fixed inline script (it marks the body js-enabled); it is allowed by its sha256 hash,
 * taken from the template itself at boot, rather than by a nonce: a hash holds on every page
 * whatever renders it (controllers, error filters, the dashboard's 503 page, pages added later)
 * without a per-request value having to be threaded into each render, where one forgotten path
 * would quietly turn GOV.UK's JavaScript off; and it follows a GOV.UK Frontend upgrade by itself.
 *
 * Must be called before any route is added: the per-route policies are attached as routes are made.
 */
export async function registerSecurityHeaders(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  const https = config.PUBLIC_BASE_URL.startsWith('https:');
  const pages = pageDirectives(https);
  // Helmet applies to every route by default (its `global` option), which is what we want.
  const options: FastifyHelmetOptions = {
    contentSecurityPolicy: { useDefaults: false, directives: pages },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // Browsers ignore HSTS over plain http, and sent from a local http run it would only mislead;
    // behind the TLS proxy PUBLIC_BASE_URL says https.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  };
  await fastify.register(fastifyHelmet, options);

  // SwaggerUI's page and the queue dashboard's carry inline styles of their own libraries' making
  // (no inline script): each gets exactly those, by hash, and nothing more.
  const docs = { ...pages, 'script-src': ["'self'"], 'style-src': ["'self'", ...inlineStyleSources(swaggerUiHtml()), SWAGGER_UI_LOGO_STYLE] };
  const dashboard = { ...pages, 'script-src': ["'self'"], 'style-src': ["'self'", ...inlineStyleSources(queueDashboardHtml()), QUEUE_DASHBOARD_LOGO_STYLE] };
  fastify.addHook('onRoute', (route) => {
    const inDashboard = route.url.startsWith(QUEUE_DASHBOARD_PATH);
    const directives = isSwaggerUiPage(route.url) ? docs : inDashboard ? dashboard : undefined;
    if (!directives) return;
    route.config = Object.assign(route.config ?? {}, { helmet: { contentSecurityPolicy: { useDefaults: false, directives } } });
    if (inDashboard) route.onSend = [...[route.onSend ?? []].flat(), withoutThirdPartyFonts];
  });
}

/**
 * The style elements SwaggerUI's and bull-board's React code writes into their SVG logos: fixed
 * text in their bundles (so not readable from a template here). If an upgrade changes either, the
 * browser test of the headers reports the violation with the new hash to put here.
 */
const SWAGGER_UI_LOGO_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";
const QUEUE_DASHBOARD_LOGO_STYLE = "'sha256-r2N1TB/gHbBtBZFKg7ejmq1acVSREzucTAEw6ga4hoU='";

/**
 * bull-board's page asks Google for its web fonts. Allowing that would tell Google every time an
 * administrator opens the dashboard, so the link goes and the dashboard uses the system's fonts.
 */
const THIRD_PARTY_STYLESHEET = /<link\b[^>]*href="https:\/\/fonts\.googleapis\.com\/[^"]*"[^>]*>/g;
async function withoutThirdPartyFonts(_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (typeof payload !== 'string' || !/^text\/html/.test(String(reply.getHeader('content-type') ?? ''))) return payload;
  const html = payload.replace(THIRD_PARTY_STYLESHEET, '');
  if (html.length !== payload.length) reply.removeHeader('content-length');
  return html;
}

/** The policy for every page of ours: scripts and styles from this site only, never framed. */
function pageDirectives(https: boolean): Directives {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", sha256Source(govukInlineScript())],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    // Two-factor set-up shows its QR code as a data: image.
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/** The text of the template's one inline script; a template that changed shape stops the boot. */
export function govukInlineScript(): string {
  const template = readFileSync(join(GOVUK_FRONTEND_DIST, 'govuk', 'template.njk'), 'utf8');
  const scripts = [...template.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  if (scripts.length !== 1 || /{[{%]/.test(scripts[0])) {
    throw new Error(`GOV.UK Frontend's template.njk no longer has exactly one fixed inline script (found ${scripts.length}); the Content-Security-Policy needs looking at.`);
  }
  return scripts[0];
}

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Hash sources for a page's inline style elements, and for its style attributes ('unsafe-hashes' lets a hash match an attribute). */
function inlineStyleSources(html: string): string[] {
  const elements = [...html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  const attributes = [...html.matchAll(/\sstyle="([^"]*)"/g)].map((m) => m[1]);
  const sources = new Set(elements.map(sha256Source));
  if (attributes.length) sources.add("'unsafe-hashes'");
  for (const attribute of attributes) sources.add(sha256Source(attribute));
  return [...sources];
}

/** SwaggerUI's HTML routes (its scripts and styles under the same path are files). */
function isSwaggerUiPage(url: string): boolean {
  return url === API_DOCS_PATH || url === `${API_DOCS_PATH}/` || url === `${API_DOCS_PATH}/index.html`;
}

/**
 * SwaggerUI's page as @nestjs/swagger builds it. Its builder is not among the package's exports,
 * so it is loaded by file; the options that change its styles (customCss, explorer) are not used here.
 */
function swaggerUiHtml(): string {
  const file = join(dirname(require.resolve('@nestjs/swagger/package.json')), 'dist', 'swagger-ui', 'swagger-ui.js');
  const { buildSwaggerHTML } = require(file) as { buildSwaggerHTML: (baseUrl: string, options: object) => string };
  return buildSwaggerHTML('./', {});
}

/**
 * bull-board's page template; its inline styles are fixed text (the variable parts are elsewhere).
 * Found as bull-board finds it itself, so both read the same copy.
 */
function queueDashboardHtml(): string {
  return readFileSync(join(dirname(require.resolve('@bull-board/ui/package.json')), 'dist', 'index.ejs'), 'utf8');
}
