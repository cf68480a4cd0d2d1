import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

interface Row {
  id: string;
  status: string;
  relay_count: number;
  attempts: number;
  retry_until: Date | null;
  failed_at: Date | null;
  last_error: string | null;
}

/**
 * Failed e-mails sent again in bulk, with a filter, over the real API and pages on PostgreSQL. No
 * worker runs, so a retried row stays 'pending' where the test can see it.
 */
describe('failed e-mails: filters and bulk retry', () => {
  let t: TestApp;
  let d: CaseDriver;
  let caseA: { id: string; reference: string };
  let caseB: { id: string; reference: string };
  /** The rows the tests fail on purpose, by name. */
  const rows: Record<'aReporter' | 'aCaseworker' | 'bAssigned' | 'bSummer', string> = {} as never;
  const admin = () => d.auth('admin');

  beforeAll(async () => {
    t = await startTestApp('failed-emails');
    d = new CaseDriver(t);
    caseA = await d.file('reporter', { title: 'Grant cut without notice' });
    caseB = await d.file('reporter', { title: 'Consultation of two weeks' });
    await d.send('caseworker', caseB.id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    const pick = async (caseId: string, template: string, email: string, offset = 0): Promise<string> => {
      const found = await t.db.query(`SELECT id FROM notifications WHERE case_id = $1 AND template = $2 AND lower(recipient_email) = lower($3) ORDER BY created_at, id OFFSET $4 LIMIT 1`, [
        caseId,
        template,
        email,
        offset,
      ]);
      if (!found.length) {
        const all = await t.db.query(`SELECT template, recipient_email FROM notifications WHERE case_id = $1`, [caseId]);
        throw new Error(`no ${template} to ${email} on the case; there are ${JSON.stringify(all)}`);
      }
      return found[0].id;
    };
    rows.aReporter = await pick(caseA.id, 'caseSubmitted', t.demo.users.reporter.email);
    rows.aCaseworker = await pick(caseA.id, 'caseSubmitted', t.demo.users.caseworker.email);
    rows.bAssigned = await pick(caseB.id, 'caseAssigned', t.demo.users.caseworker.email);
    rows.bSummer = await pick(caseB.id, 'caseSubmitted', t.demo.users.caseworker.email);
  });
  afterAll(() => t?.close());

  /**
   * Every e-mail sent, then four failed at known times: two on case A (report received, to the
   * reporter on 1 December and to the caseworker late on 30 November), two on case B (caseworker
   * assigned on 3 December; report received at 00:30 British Summer Time on 1 June 2026, which is
   * still 31 May in UTC).
   */
  beforeEach(async () => {
    await t.db.query(`UPDATE notifications SET status = 'sent', failed_at = NULL, sent_at = now()`);
    const fail = (id: string, at: string) =>
      t.db.query(
        `UPDATE notifications SET status = 'failed', failed_at = $2, attempts = 6, retry_until = now() - interval '1 hour', last_error = '550 mailbox unavailable' WHERE id = $1`,
        [id, at],
      );
    await fail(rows.aReporter, '2026-12-01T10:00:00Z');
    await fail(rows.aCaseworker, '2026-11-30T23:30:00Z');
    await fail(rows.bAssigned, '2026-12-03T09:15:00Z');
    await fail(rows.bSummer, '2026-05-31T23:30:00Z');
  });

  const state = async (): Promise<Record<string, Row>> => {
    const found: Row[] = await t.db.query(`SELECT id, status, relay_count, attempts, retry_until, failed_at, last_error FROM notifications WHERE id = ANY($1)`, [Object.values(rows)]);
    return Object.fromEntries(Object.entries(rows).map(([name, id]) => [name, found.find((r) => r.id === id)!]));
  };
  const failedIds = async (query: Record<string, string> = {}) => {
    const res = await t.http.get('/api/admin/notifications').query(query).set(admin());
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body)).toBe(true);
    return { ids: (res.body as Array<{ id: string }>).map((n) => n.id).sort(), total: Number(res.headers['x-total-count']) };
  };
  const idsOf = (...names: Array<keyof typeof rows>) => names.map((n) => rows[n]).sort();

  it('lists failed e-mails by each filter, with the total matching in a header', async () => {
    expect(await failedIds()).toEqual({ ids: idsOf('aReporter', 'aCaseworker', 'bAssigned', 'bSummer'), total: 4 });
    expect(await failedIds({ template: 'caseSubmitted' })).toEqual({ ids: idsOf('aReporter', 'aCaseworker', 'bSummer'), total: 3 });
    expect(await failedIds({ caseReference: caseA.reference })).toEqual({ ids: idsOf('aReporter', 'aCaseworker'), total: 2 });
    expect(await failedIds({ caseReference: caseA.reference.toLowerCase() })).toEqual({ ids: idsOf('aReporter', 'aCaseworker'), total: 2 });
    expect(await failedIds({ recipient: t.demo.users.caseworker.email.toUpperCase() })).toEqual({ ids: idsOf('aCaseworker', 'bAssigned', 'bSummer'), total: 3 });
    expect(await failedIds({ failedFrom: '2026-12-01', failedTo: '2026-12-01' })).toEqual({ ids: idsOf('aReporter'), total: 1 });
    expect(await failedIds({ failedFrom: '2026-11-30', failedTo: '2026-12-02' })).toEqual({ ids: idsOf('aReporter', 'aCaseworker'), total: 2 });
    expect(await failedIds({ failedFrom: '2026-12-02' })).toEqual({ ids: idsOf('bAssigned'), total: 1 });
    // England's days: 23:30 UTC on 31 May is 00:30 on 1 June in London.
    expect(await failedIds({ failedFrom: '2026-06-01', failedTo: '2026-06-01' })).toEqual({ ids: idsOf('bSummer'), total: 1 });
    expect(await failedIds({ failedTo: '2026-05-31' })).toEqual({ ids: [], total: 0 });
    expect(await failedIds({ template: 'caseSubmitted', recipient: t.demo.users.caseworker.email, failedFrom: '2026-11-01' })).toEqual({ ids: idsOf('aCaseworker'), total: 1 });
    // The header counts every match; the body holds at most limit.
    const limited = await t.http.get('/api/admin/notifications?limit=1').set(admin()).expect(200);
    expect(limited.body).toHaveLength(1);
    expect(limited.headers['x-total-count']).toBe('4');
    expect((await t.http.get('/api/admin/notifications?status=sent&template=caseSubmitted').set(admin()).expect(200)).body.every((n: { status: string; template: string }) => n.status === 'sent' && n.template === 'caseSubmitted')).toBe(true);
  });

  it.each<[string, Record<string, string>, Array<keyof typeof rows>]>([
    ['template', { template: 'caseAssigned' }, ['bAssigned']],
    ['case reference', { caseReference: '' }, ['aReporter', 'aCaseworker']],
    ['recipient, in other capitals', { recipient: '' }, ['aReporter']],
    ['failed from', { failedFrom: '2026-12-01' }, ['aReporter', 'bAssigned']],
    ['failed to', { failedTo: '2026-11-30' }, ['aCaseworker', 'bSummer']],
    ['a day in summer time', { failedFrom: '2026-06-01', failedTo: '2026-06-01' }, ['bSummer']],
    ['several at once', { template: 'caseSubmitted', caseReference: '', failedTo: '2026-11-30' }, ['aCaseworker']],
  ])('retries exactly the failed e-mails matching %s', async (_name, given, expected) => {
    const filter = { ...given };
    if ('caseReference' in filter) filter.caseReference = caseA.reference;
    if ('recipient' in filter) filter.recipient = t.demo.users.reporter.email.toUpperCase();
    const before = await state();
    const res = await t.http.post('/api/admin/notifications/retry').set(admin()).send(filter);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ retried: expected.length });
    const after = await state();
    for (const name of Object.keys(rows) as Array<keyof typeof rows>) {
      if (expected.includes(name)) {
        expect({ name, ...after[name] }).toEqual({
          name,
          id: rows[name],
          status: 'pending',
          relay_count: before[name].relay_count + 1,
          attempts: 0,
          retry_until: null,
          failed_at: null,
          last_error: '550 mailbox unavailable',
        });
      } else {
        expect({ name, status: after[name].status, relay_count: after[name].relay_count }).toEqual({ name, status: 'failed', relay_count: before[name].relay_count });
      }
    }
    // Retrying the same filter again finds nothing left to retry.
    expect((await t.http.post('/api/admin/notifications/retry').set(admin()).send(filter).expect(200)).body).toEqual({ retried: 0 });
  });

  it('retries every failed e-mail with no filter, with or without a body, and never a sent one', async () => {
    const sentBefore = (await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE status = 'sent'`))[0].n;
    expect((await t.http.post('/api/admin/notifications/retry').set(admin()).send({}).expect(200)).body).toEqual({ retried: 4 });
    expect(Object.values(await state()).map((r) => [r.status, r.retry_until, r.attempts])).toEqual(Array(4).fill(['pending', null, 0]));
    expect((await t.db.query(`SELECT count(*)::int AS n FROM notifications WHERE status = 'sent'`))[0].n).toBe(sentBefore);
    await t.db.query(`UPDATE notifications SET status = 'failed', failed_at = now() WHERE id = ANY($1)`, [Object.values(rows)]);
    expect((await t.http.post('/api/admin/notifications/retry').set(admin()).expect(200)).body).toEqual({ retried: 4 });
  });

  it('answers { retried: 0 } when nothing matches', async () => {
    for (const filter of [{ template: 'feePaid' }, { caseReference: 'CB-1999-99999' }, { recipient: 'nobody@example.org' }, { failedFrom: '2030-01-01' }]) {
      expect((await t.http.post('/api/admin/notifications/retry').set(admin()).send(filter).expect(200)).body).toEqual({ retried: 0 });
    }
    expect(Object.values(await state()).every((r) => r.status === 'failed')).toBe(true);
  });

  it('a single retry also gives the e-mail a fresh retry window and attempt count', async () => {
    const before = await state();
    const res = await t.http.post(`/api/admin/notifications/${rows.aReporter}/retry`).set(admin()).expect(200);
    expect(res.body).toEqual({ id: rows.aReporter, status: 'pending' });
    const after = (await state()).aReporter;
    expect(after).toEqual({ ...before.aReporter, status: 'pending', relay_count: before.aReporter.relay_count + 1, attempts: 0, retry_until: null, failed_at: null });
  });

  it('is for administrators only', async () => {
    expect((await t.http.post('/api/admin/notifications/retry').set(d.auth('caseworker')).send({})).status).toBe(403);
    expect((await t.http.get('/api/admin/notifications?template=caseSubmitted').set(d.auth('caseworker'))).status).toBe(403);
    expect((await t.http.post('/api/admin/notifications/retry').send({})).status).toBe(401);
    expect(Object.values(await state()).every((r) => r.status === 'failed')).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an impossible date', { failedFrom: '2027-02-30' }, 'failedFrom'],
    ['an impossible end date', { failedTo: '2026-13-01' }, 'failedTo'],
    ['year 0, which has no days', { failedFrom: '0000-01-01' }, 'failedFrom'],
    ['a date in another form', { failedTo: '1 December 2026' }, 'failedTo'],
    ['an unknown template', { template: 'caseExploded' }, 'template'],
    ['an unknown field', { status: 'sent' }, 'status'],
    ['another unknown field', { caseId: '00000000-0000-0000-0000-000000000000' }, 'caseId'],
    ['from after to', { failedFrom: '2026-12-02', failedTo: '2026-12-01' }, 'failedFrom'],
    ['a recipient that is not an address', { recipient: 'not an address' }, 'recipient'],
    ['a case reference that is not text', { caseReference: 42 }, 'caseReference'],
  ])('refuses %s with a 400 naming the field, retrying nothing', async (_name, body, field) => {
    const res = await t.http.post('/api/admin/notifications/retry').set(admin()).send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(res.body.message).toContain(field);
    expect(Object.values(await state()).every((r) => r.status === 'failed')).toBe(true);
  });

  it('refuses the same bad filters on the list', async () => {
    for (const [query, field] of [
      ['failedFrom=2027-02-30', 'failedFrom'],
      ['template=caseExploded', 'template'],
      ['colour=blue', 'colour'],
      ['failedFrom=2026-12-02&failedTo=2026-12-01', 'failedFrom'],
    ]) {
      const res = await t.http.get(`/api/admin/notifications?${query}`).set(admin());
      expect({ query, status: res.status, fields: res.body.errors?.map((e: { field: string }) => e.field) }).toEqual({ query, status: 400, fields: [field] });
    }
  });

  it('refuses a body that is not an object', async () => {
    const res = await t.http.post('/api/admin/notifications/retry').set(admin()).set('content-type', 'application/json').send('[1, 2]');
    expect(res.status).toBe(400);
    expect(Object.values(await state()).every((r) => r.status === 'failed')).toBe(true);
  });

  describe('the page', () => {
    let web: WebClient;
    const visible = (html: string) =>
      html
        .replace(/<script[\s\S]*?<\/script>/g, '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ');
    /** The hidden fields of the retry-all form, as a browser would post them. */
    const retryForm = (html: string): Record<string, string> => {
      const form = /<form method="post" action="\/admin\/emails\/retry"[\s\S]*?<\/form>/.exec(html);
      if (!form) throw new Error('no retry-all form on the page');
      return Object.fromEntries([...form[0].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2].replace(/&amp;/g, '&')]));
    };

    beforeAll(async () => {
      web = new WebClient(t);
      await web.signIn('admin@demo.compact.test');
    });

    it('filters in plain words, retries all matching, and says how many', async () => {
      const page = await web.get(
        `/admin/emails?template=caseSubmitted&caseReference=&recipient=&failedFrom-day=30&failedFrom-month=11&failedFrom-year=2026&failedTo-day=1&failedTo-month=12&failedTo-year=2026`,
      );
      expect(page.status).toBe(200);
      const words = visible(page.text);
      expect(words).toContain('2 failed e-mails match');
      expect(words).toContain('Report received');
      expect(words).toContain('Failed from 30 November 2026 to 1 December 2026');
      expect(words).toContain('Retry all 2 matching e-mails');
      expect(words).toContain(caseA.reference);
      expect(words).not.toContain(caseB.reference);
      // No template codes, no ISO dates, for people to read.
      expect(words).not.toMatch(/caseSubmitted|caseAssigned|\d{4}-\d{2}-\d{2}/);
      // The select names every e-mail in words.
      expect(page.text).toContain('<option value="caseAssigned">Caseworker assigned</option>');
      expect(page.text).toMatch(/<option value="caseSubmitted" selected>Report received<\/option>/);

      const form = retryForm(page.text);
      expect(form).toEqual({ _csrf: expect.any(String), template: 'caseSubmitted', failedFrom: '2026-11-30', failedTo: '2026-12-01' });
      const res = await web.post('/admin/emails/retry', form);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin/emails?template=caseSubmitted&failedFrom=2026-11-30&failedTo=2026-12-01');
      const after = await web.get(res.headers.location);
      expect(after.text).toContain('govuk-notification-banner--success');
      expect(visible(after.text)).toContain('2 e-mails will be sent again');
      // The filter is still shown, with nothing left matching it.
      expect(after.text).toContain('value="30"');
      expect(visible(after.text)).toContain('No failed e-mails match');
      const s = await state();
      expect([s.aReporter.status, s.aCaseworker.status, s.bAssigned.status, s.bSummer.status]).toEqual(['pending', 'pending', 'failed', 'failed']);
      expect([s.aReporter.retry_until, s.aCaseworker.retry_until]).toEqual([null, null]);
    });

    it('retries every failed e-mail from the unfiltered page', async () => {
      const page = await web.get('/admin/emails');
      expect(visible(page.text)).toContain('Retry all 4 matching e-mails');
      expect(visible(page.text)).toContain('Caseworker assigned');
      const form = retryForm(page.text);
      expect(Object.keys(form)).toEqual(['_csrf']);
      const res = await web.post('/admin/emails/retry', form);
      expect(res.headers.location).toBe('/admin/emails');
      expect(visible((await web.get('/admin/emails')).text)).toContain('4 e-mails will be sent again');
      expect(Object.values(await state()).every((r) => r.status === 'pending')).toBe(true);
    });

    it('says 1 e-mail, not 1 e-mails', async () => {
      const page = await web.get(`/admin/emails?caseReference=${encodeURIComponent(caseB.reference)}&template=caseAssigned`);
      expect(visible(page.text)).toContain('Retry the 1 matching e-mail');
      const res = await web.post('/admin/emails/retry', retryForm(page.text));
      expect(visible((await web.get(res.headers.location)).text)).toContain('1 e-mail will be sent again');
    });

    it('shows problems with the filter beside the fields, in plain words', async () => {
      const impossible = await web.get('/admin/emails?failedFrom-day=30&failedFrom-month=2&failedFrom-year=2027');
      expect(impossible.status).toBe(400);
      expect(impossible.text).toContain('There is a problem');
      expect(impossible.text).toContain('href="#failedFrom-day"');
      expect(visible(impossible.text)).toContain('The failed from date must be a real date');
      expect(impossible.text).toMatch(/id="failedFrom-error"/);
      expect(impossible.text).not.toContain('id="retry-all"');

      const backwards = await web.get('/admin/emails?failedFrom-day=2&failedFrom-month=12&failedFrom-year=2026&failedTo-day=1&failedTo-month=12&failedTo-year=2026');
      expect(backwards.status).toBe(400);
      expect(visible(backwards.text)).toContain('The failed from date must be the same as or before the failed to date');

      // The boxes look right but the year has no days: refused beside the field all the same.
      const yearZero = await web.get('/admin/emails?failedTo-day=1&failedTo-month=1&failedTo-year=0000');
      expect(yearZero.status).toBe(400);
      expect(yearZero.text).toContain('href="#failedTo-day"');
      expect(visible(yearZero.text)).toContain('The failed to date must be a real date');

      const partial = await web.get('/admin/emails?failedTo-day=1&failedTo-year=2026');
      expect(visible(partial.text)).toContain('The failed to date must include a month');

      const address = await web.get('/admin/emails?recipient=not-an-address');
      expect(address.status).toBe(400);
      expect(address.text).toContain('href="#recipient"');
      expect(visible(address.text)).toContain('Enter the e-mail address in the correct format');

      const template = await web.get('/admin/emails?template=caseExploded');
      expect(template.status).toBe(400);
      expect(visible(template.text)).toContain('Select an e-mail from the list');

      // A doctored retry form is refused the same way, and nothing is retried.
      const posted = await web.post('/admin/emails/retry', { failedFrom: '2027-02-30' });
      expect(posted.status).toBe(400);
      expect(visible(posted.text)).toContain('The failed from date must be a real date');
      expect(Object.values(await state()).every((r) => r.status === 'failed')).toBe(true);
    });

    it('refuses a retry without the form’s CSRF token, and a caseworker', async () => {
      expect((await web.post('/admin/emails/retry', {}, { withCsrf: false })).status).toBe(403);
      const caseworker = new WebClient(t);
      await caseworker.signIn('caseworker@demo.compact.test');
      expect((await caseworker.post('/admin/emails/retry', {})).status).toBe(403);
      expect(Object.values(await state()).every((r) => r.status === 'failed')).toBe(true);
    });
  });
});
