import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { govukInlineScript } from '../apps/api/src/security-headers';
import { TestApp, startTestApp } from './support/test-app';
import { REDIS_URL } from './support/test-redis';

/** The Content-Security-Policy of a response, as directive name -> sources. */
function csp(res: Response): Record<string, string[]> {
  const header = res.headers['content-security-policy'];
  expect(typeof header).toBe('string');
  return Object.fromEntries(
    (header as string)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name, sources]),
  );
}

/** The headers every answer must carry, whatever wrote it. */
function expectSecurityHeaders(res: Response): void {
  const policy = csp(res);
  expect(policy['default-src']).toEqual(["'self'"]);
  expect(policy['script-src']).toContain("'self'");
  expect(policy['script-src']).not.toContain("'unsafe-inline'");
  expect(policy['script-src']).not.toContain("'unsafe-eval'");
  expect(policy['style-src']).not.toContain("'unsafe-inline'");
  expect(policy['frame-ancestors']).toEqual(["'none'"]);
  expect(policy['object-src']).toEqual(["'none'"]);
  expect(policy['base-uri']).toEqual(["'self'"]);
  expect(policy['form-action']).toEqual(["'self'"]);
  expect(policy['img-src']).toEqual(["'self'", 'data:']);
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
}

describe('security headers over http', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('security-headers', { REDIS_URL });
  });
  afterAll(() => t?.close());

  it('are on an API answer, and on its errors: 401, 404 and 400', async () => {
    const ok = await t.http.get('/api/cases').set('Authorization', `Bearer ${t.tokens.caseworker}`).expect(200);
    expectSecurityHeaders(ok);
    expect(ok.headers['content-type']).toMatch(/json/);
    expectSecurityHeaders(await t.http.get('/api/cases').expect(401));
    expectSecurityHeaders(await t.http.get('/api/no-such-thing').expect(404));
    expectSecurityHeaders(await t.http.post('/api/auth/login').send({ email: 'not an address' }).expect(400));
  });

  it('are on pages, the page 404, and static files', async () => {
    const page = await t.http.get('/sign-in').expect(200);
    expectSecurityHeaders(page);
    // Our own pages allow exactly one inline script: GOV.UK's, by its hash; and no inline style.
    const inline = `'sha256-${createHash('sha256').update(govukInlineScript()).digest('base64')}'`;
    expect(csp(page)['script-src']).toEqual(["'self'", inline]);
    expect(csp(page)['style-src']).toEqual(["'self'"]);
    expect(page.text).toContain(`<script>${govukInlineScript()}</script>`);
    expectSecurityHeaders(await t.http.get('/no-such-page').set('Accept', 'text/html').expect(404));
    for (const asset of ['/assets/app/app.css', '/assets/app/init.js', '/assets/govuk/govuk-frontend.min.js', '/assets/images/favicon.ico']) {
      expectSecurityHeaders(await t.http.get(asset).expect(200));
    }
    expectSecurityHeaders(await t.http.get('/assets/app/nothing-here.css').expect(404));
  });

  it('has no HSTS over plain http, and no upgrade of requests', async () => {
    const page = await t.http.get('/sign-in').expect(200);
    expect(page.headers['strict-transport-security']).toBeUndefined();
    expect(csp(page)['upgrade-insecure-requests']).toBeUndefined();
  });

  it('gives SwaggerUI only the hashes of its own inline styles, and no inline script', async () => {
    const docs = await t.http.get('/api/docs').expect(200);
    expectSecurityHeaders(docs);
    expect(docs.text).toContain('swagger-ui-bundle.js');
    const styles = csp(docs)['style-src'];
    expect(styles[0]).toBe("'self'");
    const hashes = styles.filter((s) => s.startsWith("'sha256-"));
    // Two <style> elements and the sprite's style attribute, each allowed by its own hash (and the
    // logo's style that SwaggerUI's script writes: one more).
    const inline = [...docs.text.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]).concat([...docs.text.matchAll(/\sstyle="([^"]*)"/g)].map((m) => m[1]));
    expect(inline.length).toBeGreaterThanOrEqual(3);
    for (const text of inline) expect(hashes).toContain(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
    expect(hashes).toHaveLength(new Set(inline).size + 1);
    expect(csp(docs)['script-src']).toEqual(["'self'"]);
    // The files under it, and the OpenAPI document, keep the pages' policy.
    expect(csp(await t.http.get('/api/docs/openapi.json').expect(200))['style-src']).toEqual(["'self'"]);
    expect(csp(await t.http.get('/api/docs/swagger-ui-init.js').expect(200))['style-src']).toEqual(["'self'"]);
  });

  it('gives the queue dashboard only the hashes of its own inline styles', async () => {
    const board = await t.http.get('/admin/queues').set('Authorization', `Bearer ${t.tokens.admin}`).set('Accept', 'text/html').expect(200);
    expectSecurityHeaders(board);
    const styles = csp(board)['style-src'];
    expect(styles).toContain("'unsafe-hashes'");
    expect(styles.filter((s) => s.startsWith("'sha256-")).length).toBeGreaterThanOrEqual(2);
    // Its page would ask Google for fonts; that link is taken out, the page is otherwise whole.
    expect(board.text).not.toContain('fonts.googleapis.com');
    expect(board.text).toMatch(/<script defer src="static\/js\/main\.[0-9a-f]+\.js"><\/script><\/body>/);
    // Turned away (no token) it is still under the headers.
    expectSecurityHeaders(await t.http.get('/admin/queues/api/queues').expect(401));
  });
});

describe('security headers when served over https', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('security-headers-https', { PUBLIC_BASE_URL: 'https://cases.example.org' });
  });
  afterAll(() => t?.close());

  it('adds HSTS for a year, subdomains included, on pages and the API', async () => {
    for (const res of [await t.http.get('/sign-in').expect(200), await t.http.get('/api/cases').expect(401), await t.http.get('/assets/app/app.css').expect(200)]) {
      expectSecurityHeaders(res);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(csp(res)['upgrade-insecure-requests']).toEqual([]);
    }
  });

  it('marks the pages cookies Secure, HttpOnly and SameSite=Lax', async () => {
    const res = await t.http.get('/sign-in').expect(200);
    const cookie = [res.headers['set-cookie']].flat().find((c: string) => c.startsWith('cc_csrf='));
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
  });
});
