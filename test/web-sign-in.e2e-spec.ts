import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/** Signing in and out of the pages: session cookie, CSRF on every form, expiry after inactivity. */
describe('pages: sign in and out', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('web-sign-in');
  });
  afterAll(() => t?.close());

  it('sends someone not signed in to the sign-in page, and back where they were going', async () => {
    const web = new WebClient(t);
    const res = await web.get('/triage');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in?next=%2Ftriage');
    await web.signIn('caseworker@demo.compact.test', '/triage');
    expect((await web.get('/triage')).status).not.toBe(303);
  });

  it('sets an httpOnly, SameSite session cookie and lands each role on its start page', async () => {
    const web = new WebClient(t);
    const res = await web.signIn('reporter@demo.compact.test');
    expect(res.headers.location).toBe('/cases');
    const cookie = [res.headers['set-cookie']].flat().find((c: string) => c.startsWith('cc_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it('refuses a form without its CSRF token, with a page that says what to do', async () => {
    const web = new WebClient(t);
    await web.get('/sign-in');
    const res = await web.post('/sign-in', { email: 'reporter@demo.compact.test', password: 'demo-password' }, { withCsrf: false });
    expect(res.status).toBe(403);
    expect(res.text).toContain('reload the page and submit it again');
  });

  it('keeps the e-mail typed and says what is wrong when the password is wrong', async () => {
    const web = new WebClient(t);
    await web.get('/sign-in');
    const res = await web.post('/sign-in', { email: 'reporter@demo.compact.test', password: 'nope' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('There is a problem');
    expect(res.text).toContain('value="reporter@demo.compact.test"');
  });

  it('ends the session on sign-out and after inactivity', async () => {
    const web = new WebClient(t);
    await web.signIn('caseworker@demo.compact.test');
    const out = await web.post('/sign-out', {});
    expect(out.headers.location).toBe('/sign-in?signedOut=1');
    expect((await web.get('/triage')).status).toBe(303);

    const idle = new WebClient(t);
    await idle.signIn('caseworker@demo.compact.test');
    await t.db.query(`UPDATE web_sessions SET last_seen_at = now() - interval '2 hours'`);
    const res = await idle.get('/triage');
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sign-in?next=%2Ftriage');
  });

  it('serves GOV.UK Frontend\'s styles and leaves the API where it was', async () => {
    const css = await t.http.get('/assets/govuk/govuk-frontend.min.css').expect(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    await t.http.get('/assets/govuk/template.njk').expect(404);
    await t.http.get('/api/health').expect(200);
  });
});
