import type { Response } from 'supertest';
import type { TestApp } from './test-app';
import { DEMO_PASSWORD } from '@cc/demo-data';
import { nextCode } from './second-factor';

/**
 * A browser without JavaScript, for page tests over HTTP: keeps cookies, finds each page's CSRF
 * token and sends it back with forms, as a real form post would.
 */
export class WebClient {
  private cookies = new Map<string, string>();
  csrf?: string;

  constructor(private readonly t: TestApp) {}

  async get(path: string): Promise<Response> {
    const res = await this.t.http.get(path).set('Cookie', this.cookieHeader());
    this.remember(res);
    return res;
  }

  async post(path: string, form: Record<string, string | string[]>, options: { withCsrf?: boolean } = {}): Promise<Response> {
    const body = options.withCsrf === false ? form : { _csrf: this.csrf ?? '', ...form };
    const res = await this.t.http.post(path).type('form').set('Cookie', this.cookieHeader()).send(body);
    this.remember(res);
    return res;
  }

  /** An upload form: the CSRF token first (as the pages require), then the fields, then the file. */
  async postMultipart(path: string, fields: Record<string, string>, file?: { field: string; name: string; content: Buffer }): Promise<Response> {
    let req = this.t.http.post(path).set('Cookie', this.cookieHeader()).field('_csrf', this.csrf ?? '');
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    if (file) req = req.attach(file.field, file.content, file.name);
    const res = await req;
    this.remember(res);
    return res;
  }

  async signIn(email: string, next?: string, password = DEMO_PASSWORD): Promise<Response> {
    await this.get('/sign-in');
    let res = await this.post('/sign-in', { email, password, ...(next ? { next } : {}) });
    if (res.status === 303 && res.headers.location === '/sign-in/two-factor') res = await this.enterSecondFactor(email);
    if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${res.text.slice(0, 300)}`);
    await this.get(res.headers.location);
    return res;
  }

  /** The code from the person's authenticator app, typed on the second sign-in page. */
  async enterSecondFactor(email: string): Promise<Response> {
    const [user] = await this.t.db.query(`SELECT id FROM users WHERE lower(email) = lower($1)`, [email]);
    const authenticator = this.t.authenticators.get(user?.id);
    if (!authenticator) throw new Error(`${email} has no authenticator in this test`);
    await this.get('/sign-in/two-factor');
    return this.post('/sign-in/two-factor', { code: await nextCode(this.t.db, authenticator) });
  }

  private remember(res: Response): void {
    for (const header of [res.headers['set-cookie'] ?? []].flat() as string[]) {
      const [pair] = header.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value === '' || /Expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const match = /name="_csrf" value="([^"]+)"/.exec(res.text ?? '');
    if (match) this.csrf = match[1];
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}
