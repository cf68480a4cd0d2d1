import { inflateRawSync } from 'node:zlib';
import { RetentionSchedule } from '@cc/data-protection';
import { MIGRATIONS } from '@cc/persistence';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';

/** The entries of a ZIP (stored or deflated), read from its central directory. */
function unzip(zip: Buffer): Map<string, Buffer> {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a ZIP: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('broken central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataAt = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(dataAt, dataAt + compressed);
    out.set(name, method === 8 ? inflateRawSync(raw) : Buffer.from(raw));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

/** The same day `n` months later, or that month's last day when it has no such day (PostgreSQL's date + interval). */
function monthsAfter(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  const last = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + n, Math.min(d, last))).toISOString().slice(0, 10);
}

/** The ICO's month: the same day next month, or that month's last day when it has no such day. */
const oneMonthAfter = (iso: string) => monthsAfter(iso, 1);

const inWords = (iso: string) => new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${iso}T00:00:00Z`));
const londonToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
const partsOf = (iso: string) => {
  const [year, month, day] = iso.split('-');
  return { 'receivedOn-day': String(Number(day)), 'receivedOn-month': String(Number(month)), 'receivedOn-year': year };
};

/** Subject access over real PostgreSQL: the request and its clock, the ZIP and its redaction, the reporter's request page, who may handle them. */
describe('subject access requests', () => {
  let t: TestApp;
  let cases: CaseDriver;
  let admin: WebClient;
  let caseworker: WebClient;
  let reporter: WebClient;
  let caseRef: string;
  let requestId: string;
  let files: Map<string, Buffer>;
  let everything: string;

  const REPORTER = 'reporter@demo.compact.test';

  beforeAll(async () => {
    t = await startTestApp('subject-access');
    cases = new CaseDriver(t);
    admin = new WebClient(t);
    caseworker = new WebClient(t);
    reporter = new WebClient(t);
    await admin.signIn('admin@demo.compact.test');
    await caseworker.signIn('caseworker@demo.compact.test');
    await reporter.signIn(REPORTER);

    // Rita's report names the council's contact and someone else's address, and her own.
    const filed = await cases.file('reporter', {
      whatHappened: `Priya Shah at the council told us on 1 October that our grant would end. Her colleague (owen.price@elsewhere.example) copied it to ${REPORTER}.`,
    });
    caseRef = filed.reference;
    const { caseworker: cara, caseworker2: kofi } = t.demo.users;
    await cases.send('caseworker', filed.id, { type: 'ASSIGN', caseworkerId: cara.id });
    const note = (authorId: string, visibility: string, body: string) =>
      t.db.query(`INSERT INTO case_notes (case_id, author_id, visibility, body) VALUES ($1, $2, $3, $4)`, [filed.id, authorId, visibility, body]);
    await note(cara.id, 'internal', 'Rita Reporter rang: she is worried Kofi Caseworker has not replied. Call her back.');
    await note(cara.id, 'internal', 'SECRET-NOTE-XYZ: the council chief executive is under review.');
    await note(kofi.id, 'internal', 'Colin Carer says the same happened to his charity.');
    // A document Rita added, and one the caseworker added (not hers, so not in her copy).
    const upload = (who: 'reporter' | 'caseworker', name: string, text: string) =>
      t.http.post(`/api/cases/${filed.id}/evidence`).set(cases.auth(who)).field('description', 'From the council').attach('file', Buffer.from(text), { filename: name, contentType: 'text/plain' }).expect(201);
    await upload('reporter', 'council letter.txt', 'Dear Rita, your grant ends on 15 October.\n');
    await upload('caseworker', 'call notes.txt', 'CASEWORKER-FILE-ONLY\n');
    // A letter to Rita (its PDF is a document the caseworker's, with no file behind it here), naming the council's contact.
    const [pdf] = await t.db.query(`INSERT INTO evidence (case_id, uploaded_by, uploader_role, file_name, media_type, size_bytes, sha256, storage_key) VALUES ($1, $2, 'caseworker', 'letter.pdf', 'application/pdf', 10, 'x', 'sar-test-missing-key') RETURNING id`, [filed.id, cara.id]);
    await t.db.query(
      `INSERT INTO letters (id, case_id, template_name, addressed_to, subject, body, recipients, by_email, sent_by, evidence_id) VALUES (gen_random_uuid(), $1, 'Update', 'reporter', 'Your case', 'Dear Rita Reporter, Priya Shah has replied.', $2, true, $3, $4)`,
      [filed.id, JSON.stringify([{ name: 'Rita Reporter', email: REPORTER }]), cara.id, pdf.id],
    );
    // An e-mail from Rita, naming her caseworker.
    const raw = [`From: Rita Reporter <${REPORTER}>`, 'To: cases@compact-cases.example', `Subject: About ${caseRef}`, 'Message-ID: <sar-1@test>', 'Content-Type: text/plain; charset=utf-8', '', 'Cara Caseworker asked me to send the letter. It is attached to the case.', ''].join('\r\n');
    await t.db.query(`INSERT INTO inbound_mail (message_id, raw, via, from_address, subject, case_id, status) VALUES ('<sar-1@test>', $1, 'smtp', $2, $3, $4, 'filed')`, [Buffer.from(raw), REPORTER, `About ${caseRef}`, filed.id]);
  });
  afterAll(() => t?.close());

  it('an administrator records a request by e-mail address; its one-month clock shows on the deadlines page for caseworkers', async () => {
    await admin.get('/admin/data-requests/new');
    const today = londonToday();
    const res = await admin.post('/admin/data-requests', { kind: 'access', email: REPORTER, ...partsOf(today), details: 'Asked by letter.' });
    expect(res.status).toBe(303);
    requestId = /\/admin\/data-requests\/([0-9a-f-]{36})$/.exec(res.headers.location)![1];
    const page = await admin.get(res.headers.location);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Request recorded');
    expect(page.text).toContain(`Subject access request`);
    expect(page.text).toContain(inWords(oneMonthAfter(today)));

    const deadlines = await caseworker.get('/deadlines');
    expect(deadlines.status).toBe(200);
    expect(deadlines.text).toContain(`Subject access request from ${REPORTER} — answer by ${inWords(oneMonthAfter(today))}`);
    // Caseworkers see the clock but do not handle the request: no link to the administrators' page.
    expect(deadlines.text).not.toContain(`/admin/data-requests/${requestId}`);
    expect((await admin.get('/deadlines')).text).toContain(`/admin/data-requests/${requestId}`);

    const list = await admin.get('/admin/data-requests');
    expect(list.text).toContain(REPORTER);
    expect(list.text).toMatch(/Due in \d+ days/);
  });

  it('counts the month the ICO way (a short month ends on its last day) and shows an older request as overdue', async () => {
    const [{ due }] = await t.db.query(`SELECT to_char(('2027-01-31'::date + interval '1 month')::date, 'YYYY-MM-DD') AS due`);
    expect(due).toBe(oneMonthAfter('2027-01-31'));
    const received = new Date(Date.parse(`${londonToday()}T00:00:00Z`) - 40 * 86_400_000).toISOString().slice(0, 10);
    await admin.get('/admin/data-requests/new');
    const res = await admin.post('/admin/data-requests', { kind: 'erasure', email: 'someone@elsewhere.example', ...partsOf(received) });
    expect(res.status).toBe(303);
    const deadlines = await caseworker.get('/deadlines');
    expect(deadlines.text).toContain(`Erasure request from someone@elsewhere.example — answer by ${inWords(oneMonthAfter(received))}`);
    expect(deadlines.text).toMatch(/someone@elsewhere\.example[^<]*\(\d+ days overdue\)\s*<strong class="govuk-tag govuk-tag--red">Overdue/);
  });

  it('takes two more months for a complex request, once, within the first month, with the reason kept; the clock moves with it', async () => {
    await admin.get('/admin/data-requests/new');
    const made = await admin.post('/admin/data-requests', { kind: 'access', email: 'complex@elsewhere.example', ...partsOf(londonToday()) });
    const id = made.headers.location.split('/').pop()!;
    const page = await admin.get(`/admin/data-requests/${id}`);
    expect(page.text).toContain('If it needs more time');
    const blank = await admin.post(`/admin/data-requests/${id}/extend`, { reason: '  ' });
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('Say why the request needs more time: you must tell the person why');
    expect(blank.text).toContain('href="#extension-reason"');
    const done = await admin.post(`/admin/data-requests/${id}/extend`, { reason: 'It covers six years of cases and hundreds of documents.' });
    expect(done.status).toBe(303);
    const [row] = await t.db.query(`SELECT to_char(due_on, 'YYYY-MM-DD') AS due, extended_by_months FROM data_protection_requests WHERE id = $1`, [id]);
    // Three months from receipt, counted as the month is: the same day, or that month's last day.
    expect(row).toEqual({ due: monthsAfter(londonToday(), 3), extended_by_months: 2 });
    expect(monthsAfter('2027-01-31', 3)).toBe('2027-04-30');
    const after = await admin.get(`/admin/data-requests/${id}`);
    expect(after.text).toContain('It covers six years of cases and hundreds of documents.');
    expect(after.text).not.toContain('If it needs more time');
    expect((await caseworker.get('/deadlines')).text).toContain(`Subject access request from complex@elsewhere.example — answer by ${inWords(row.due)}`);
    const again = await admin.post(`/admin/data-requests/${id}/extend`, { reason: 'Still more.' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('that is the most the law allows');
    const [{ kinds }] = await t.db.query(`SELECT array_agg(kind ORDER BY at) AS kinds FROM account_events WHERE user_id = $1 AND details->>'requestId' = $2`, [t.demo.users.admin.id, id]);
    expect(kinds).toEqual(['data-request-recorded', 'data-request-extended']);

    const late = new Date(Date.parse(`${londonToday()}T00:00:00Z`) - 40 * 86_400_000).toISOString().slice(0, 10);
    const old = await admin.post('/admin/data-requests', { kind: 'access', email: 'late@elsewhere.example', ...partsOf(late) });
    const oldId = old.headers.location.split('/').pop()!;
    expect((await admin.get(`/admin/data-requests/${oldId}`)).text).not.toContain('If it needs more time');
    const tooLate = await admin.post(`/admin/data-requests/${oldId}/extend`, { reason: 'We are busy.' });
    expect(tooLate.status).toBe(409);
    expect(tooLate.text).toContain('More time can only be taken within the first month');
    expect((await caseworker.post(`/admin/data-requests/${id}/extend`, { reason: 'x' })).status).toBe(404);
  });

  it('refuses a request with no e-mail address, a future date or no kind, naming each field', async () => {
    await admin.get('/admin/data-requests/new');
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const res = await admin.post('/admin/data-requests', { email: 'not an address', ...partsOf(future) });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Choose what the person asked for');
    expect(res.text).toContain('Enter an e-mail address in the correct format');
    expect(res.text).toContain('must be today or in the past');
  });

  describe('the ZIP', () => {
    beforeAll(async () => {
      await admin.get(`/admin/data-requests/${requestId}`);
      const res = await t.http
        .post(`/admin/data-requests/${requestId}/gather`)
        .type('form')
        .set('Cookie', (admin as unknown as { cookieHeader(): string }).cookieHeader())
        .send({ _csrf: admin.csrf })
        .buffer(true)
        .parse((r, done) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => done(null, Buffer.concat(chunks)));
        });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('application/zip');
      expect(res.headers['content-disposition']).toMatch(/attachment; filename="personal-data-\d{4}-\d{2}-\d{2}\.zip"/);
      files = unzip(res.body as Buffer);
      everything = [...files.values()].map((b) => b.toString('utf8')).join('\n');
    });

    it('holds a readable summary and the data as JSON', () => {
      expect([...files.keys()].sort()).toEqual(['data.json', `files/${caseRef}/1-council letter.txt`, 'summary.html']);
      expect(files.get(`files/${caseRef}/1-council letter.txt`)!.toString('utf8')).toBe('Dear Rita, your grant ends on 15 October.\n');
      const html = files.get('summary.html')!.toString('utf8');
      expect(html).toContain('<h1>The personal data we hold about reporter@demo.compact.test</h1>');
      expect(html).toContain(caseRef);
      expect(html).toContain('Rita Reporter');
      // Words, not codes or ISO times.
      expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
      expect(html).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
      expect(html).not.toMatch(/>\s*(internal|reporter|triage\.reviewing)\s*</);
    });

    it('has their account, their case, their e-mails both ways and the note that names them', async () => {
      const data = JSON.parse(files.get('data.json')!.toString('utf8'));
      expect(data.account).toMatchObject({ name: 'Rita Reporter', email: REPORTER, role: 'reporter', organisation: expect.any(String) });
      const theCase = data.cases.find((c: { reference: string }) => c.reference === caseRef);
      expect(theCase.yourPart).toContain('reported it');
      expect(theCase.report.whatHappened).toContain(REPORTER);
      expect(theCase.report.whatHappened).toContain('[another person] at the council');
      expect(theCase.report.whatHappened).toContain(`Her colleague ([another person]) copied it to ${REPORTER}.`);
      const [{ sent }] = await t.db.query(`SELECT count(*)::int AS sent FROM notifications WHERE recipient_user_id = $1`, [t.demo.users.reporter.id]);
      expect(sent).toBeGreaterThan(0);
      expect(data.emailsSent).toHaveLength(sent);
      expect(data.emailsReceived).toEqual([expect.objectContaining({ caseReference: caseRef, text: expect.stringContaining('[another person] asked me to send the letter') })]);
      expect(data.notes).toEqual([expect.objectContaining({ caseReference: caseRef, writtenBy: '[another person] (a caseworker)', text: 'Rita Reporter rang: she is worried [another person] has not replied. Call her back.' })]);
      expect(data.caseEvents.some((e: { what: string; by: string }) => e.by === 'You')).toBe(true);
      expect(data.requests).toEqual([expect.objectContaining({ kind: 'access', status: 'open' })]);
      expect(data.letters).toEqual([expect.objectContaining({ caseReference: caseRef, toYou: true, sentBy: '[another person] (a caseworker)', text: 'Dear Rita Reporter, [another person] has replied.' })]);
    });

    it('has nothing of other people: their names and e-mail addresses, and staff notes that do not name the person', () => {
      for (const other of ['Priya Shah', 'owen.price@elsewhere.example', 'Cara Caseworker', 'Kofi Caseworker', 'caseworker@demo.compact.test', 'Colin Carer', 'carers@demo.compact.test', 'respondent@demo.compact.test', 'SECRET-NOTE-XYZ', 'chief executive is under review', 'CASEWORKER-FILE-ONLY', 'call notes.txt']) {
        expect({ other, found: everything.includes(other) }).toEqual({ other, found: false });
      }
      // No working sign-in link or secret from an e-mail's data.
      expect(everything).not.toMatch(/token=|\/sign-in\/link\/[A-Za-z0-9_-]{20,}/);
    });

    it('is recorded: who gathered it and when, on the request and on the audit log', async () => {
      const [row] = await t.db.query(`SELECT gathered_by, gathered_at FROM data_protection_requests WHERE id = $1`, [requestId]);
      expect(row.gathered_by).toBe(t.demo.users.admin.id);
      expect(row.gathered_at).toBeInstanceOf(Date);
      const events = await t.db.query(`SELECT kind FROM account_events WHERE user_id = $1 AND details->>'requestId' = $2 ORDER BY at`, [t.demo.users.admin.id, requestId]);
      expect(events.map((e: { kind: string }) => e.kind)).toEqual(['data-request-recorded', 'data-request-gathered']);
      expect((await admin.get(`/admin/data-requests/${requestId}`)).text).toMatch(/Data gathered\s*<\/dt>\s*<dd[^>]*>\s*\d+ \w+ \d{4} at [^<]+ by Ada Administrator/);
    });
  });

  it("a caseworker's export holds the record of the cases they opened, and the note they wrote", async () => {
    const { caseworker: cara } = t.demo.users;
    const [c] = await t.db.query(`SELECT id FROM cases WHERE reference = $1`, [caseRef]);
    // access_audit gains role, what and via with the read audit (issue 15): fill them when they are there.
    const columns = (await t.db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'access_audit'`)).map((r: { column_name: string }) => r.column_name);
    if (columns.includes('role')) {
      await t.db.query(`INSERT INTO access_audit (user_id, method, path, case_id, status, role, what, via) VALUES ($1, 'GET', $2, $3, 200, 'caseworker', 'case', 'page')`, [cara.id, `/cases/${c.id}`, c.id]);
    } else {
      await t.db.query(`INSERT INTO access_audit (user_id, method, path, case_id, status) VALUES ($1, 'GET', $2, $3, 200)`, [cara.id, `/cases/${c.id}`, c.id]);
    }
    await admin.get('/admin/data-requests/new');
    const res = await admin.post('/admin/data-requests', { kind: 'access', email: 'CASEWORKER@demo.compact.test', ...partsOf(londonToday()) });
    const id = res.headers.location.split('/').pop()!;
    const { data } = await t.app.get((await import('@cc/data-protection')).GatherPersonalData).collect('CASEWORKER@demo.compact.test', { kind: 'access', receivedOn: londonToday(), dueOn: londonToday() });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.account?.name).toBe('Cara Caseworker');
    expect(data.reads).toEqual(expect.arrayContaining([expect.objectContaining({ caseReference: caseRef, method: 'GET' })]));
    expect(data.cases.find((x) => x.reference === caseRef)?.yourPart).toContain('caseworker');
    expect(data.notes.map((n) => n.text)).toEqual(expect.arrayContaining(['[another person] rang: she is worried [another person] has not replied. Call her back.', 'SECRET-NOTE-XYZ: the council chief executive is under review.']));
    expect(data.notes.every((n) => n.writtenBy === 'You')).toBe(true);
    // The letter's PDF is theirs, but its file is not in storage here: listed, and said to be missing.
    expect(data.documents).toEqual(expect.arrayContaining([expect.objectContaining({ fileName: 'letter.pdf', fileInExport: expect.stringContaining('letter.pdf') })]));
    expect(data.letters).toEqual([expect.objectContaining({ sentBy: 'You', toYou: false })]);
    expect(JSON.stringify(data)).not.toContain('Colin Carer says');
  });

  it('a reporter asks for their data from their account page; asking twice keeps one request', async () => {
    expect((await reporter.get('/account')).text).toContain('href="/account/data-request"');
    const form = await reporter.get('/account/data-request');
    expect(form.status).toBe(200);
    expect(form.text).toContain('Ask for your data');
    expect((await reporter.post('/account/data-request', { kind: 'everything' })).status).toBe(400);
    const first = await reporter.post('/account/data-request', { kind: 'erasure', details: 'Please remove me.' });
    expect(first.status).toBe(303);
    const after = await reporter.get('/account/data-request');
    expect(after.text).toContain('Your erasure request has been sent');
    expect(after.text).toMatch(/Erasure request, asked on [^:]+: we will answer by \d+ \w+ \d{4}/);
    await reporter.post('/account/data-request', { kind: 'erasure' });
    expect((await reporter.get('/account/data-request')).text).toContain('You have already asked');
    const rows = await t.db.query(`SELECT email, requested_by_user, requested_by_org, details FROM data_protection_requests WHERE kind = 'erasure' AND email = $1`, [REPORTER]);
    expect(rows).toEqual([{ email: REPORTER, requested_by_user: t.demo.users.reporter.id, requested_by_org: t.demo.organisations.riversideFoodbank, details: 'Please remove me.' }]);
    const [asked] = await t.db.query(`SELECT count(*)::int AS n FROM account_events WHERE user_id = $1 AND kind = 'data-request-asked'`, [t.demo.users.reporter.id]);
    expect(asked.n).toBe(1);
    // It is for an administrator to handle: on their list, with who asked.
    const list = await admin.get('/admin/data-requests');
    expect(list.text).toMatch(/Erasure request/);
    const [{ id }] = await t.db.query(`SELECT id FROM data_protection_requests WHERE kind = 'erasure' AND email = $1`, [REPORTER]);
    expect((await admin.get(`/admin/data-requests/${id}`)).text).toContain('Rita Reporter of');
  });

  it('an administrator answers a request once: the clock stops; a refusal needs its reason', async () => {
    await admin.get(`/admin/data-requests/${requestId}`);
    const noReason = await admin.post(`/admin/data-requests/${requestId}/close`, { outcome: 'refused' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('Say why the request was refused');
    const done = await admin.post(`/admin/data-requests/${requestId}/close`, { outcome: 'done', note: 'Sent by e-mail.' });
    expect(done.status).toBe(303);
    expect((await caseworker.get('/deadlines')).text).not.toContain(`Subject access request from ${REPORTER}`);
    const again = await admin.post(`/admin/data-requests/${requestId}/close`, { outcome: 'done' });
    expect(again.status).toBe(409);
    const [row] = await t.db.query(`SELECT status, handled_by FROM data_protection_requests WHERE id = $1`, [requestId]);
    expect(row).toEqual({ status: 'done', handled_by: t.demo.users.admin.id });
  });

  it('only administrators handle requests: everyone else gets 404, signed-out people are sent to sign in', async () => {
    for (const web of [caseworker, reporter]) {
      expect((await web.get('/admin/data-requests')).status).toBe(404);
      expect((await web.get('/admin/data-requests/new')).status).toBe(404);
      expect((await web.get(`/admin/data-requests/${requestId}`)).status).toBe(404);
      await web.get('/account');
      expect((await web.post(`/admin/data-requests/${requestId}/gather`, {})).status).toBe(404);
      expect((await web.post(`/admin/data-requests/${requestId}/close`, { outcome: 'done' })).status).toBe(404);
      expect((await web.post('/admin/data-requests', { kind: 'access', email: 'x@example.org', ...partsOf(londonToday()) })).status).toBe(404);
    }
    expect((await admin.get('/admin/data-requests/not-a-uuid')).status).toBe(404);
    expect((await admin.get('/admin/data-requests/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    const stranger = new WebClient(t);
    const res = await stranger.get('/admin/data-requests');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/sign-in/);
    expect((await stranger.get('/account/data-request')).status).toBe(303);
  });

  it('tells people: the privacy notice and cookies page name the periods, the rights, how to ask and each cookie; the report form links to it', async () => {
    const privacy = await reporter.get('/privacy');
    expect(privacy.status).toBe(200);
    for (const words of ['data controller', 'Closed cases: kept 6 years after the case closed', 'kept 7 days', 'kept 2 years', 'within one month', 'Ask for your data', 'Information Commissioner']) expect(privacy.text).toContain(words);
    expect(privacy.text).not.toContain('[retention periods]');
    const cookies = await reporter.get('/cookies');
    for (const words of ['cc_session', 'cc_csrf', 'we do not show a cookie banner']) expect(cookies.text).toContain(words);
    expect((await reporter.get('/report')).text).toContain('href="/privacy"');
    expect((await admin.get('/admin/data-requests')).text).toContain('href="/admin/data-requests"');
  });

  it('the privacy notice says the periods the retention schedule keeps now, also in the editing preview', async () => {
    const schedule = t.app.get(RetentionSchedule);
    await schedule.set('closedCases', { count: 60, unit: 'months' }, t.demo.users.admin.id);
    await schedule.set('unsentReportDocuments', { count: 14, unit: 'days' }, t.demo.users.admin.id);
    try {
      const privacy = await reporter.get('/privacy');
      expect(privacy.text).toContain('Closed cases: kept 5 years after the case closed');
      expect(privacy.text).toContain('Documents for a report never sent: kept 14 days');
      expect(privacy.text).not.toContain('kept 6 years');
      const edit = await admin.get('/admin/site-pages/privacy');
      expect(edit.text).toContain('[retention periods]');
      expect(edit.text).toContain('Closed cases: kept 5 years after the case closed');
    } finally {
      await schedule.set('closedCases', { count: 72, unit: 'months' }, t.demo.users.admin.id);
      await schedule.set('unsentReportDocuments', { count: 7, unit: 'days' }, t.demo.users.admin.id);
    }
  });

  it('the migration puts the schedule in place of the written-out periods only on a notice no administrator has edited', async () => {
    const q = t.db.createQueryRunner();
    await q.startTransaction();
    try {
      const migration = MIGRATIONS.find((m) => m.name === 'PrivacyRetentionPeriods1764970000000')!;
      await new migration().down(q);
      const [before] = await q.query(`SELECT body FROM site_pages WHERE slug = 'privacy'`);
      expect(before.body).toContain('- cases: 6 years after the case is closed.');
      await new migration().up(q);
      const [after] = await q.query(`SELECT body FROM site_pages WHERE slug = 'privacy'`);
      expect(after.body).toContain('## How long we keep it\n\n[retention periods]\n\nA case can be kept longer');
      await new migration().down(q);
      await q.query(`UPDATE site_pages SET updated_by = $1 WHERE slug = 'privacy'`, [t.demo.users.admin.id]);
      await new migration().up(q);
      const [edited] = await q.query(`SELECT body FROM site_pages WHERE slug = 'privacy'`);
      expect(edited.body).toContain('- cases: 6 years after the case is closed.');
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  });

  it('the migration gives the new texts only to pages no administrator has edited', async () => {
    const q = t.db.createQueryRunner();
    await q.startTransaction();
    try {
      // As the database was before the migration, with the privacy notice edited by an administrator.
      await q.query(`DROP TABLE data_protection_requests`);
      await q.query(`UPDATE site_pages SET body = 'Our own words.', updated_by = $1 WHERE slug = 'privacy'`, [t.demo.users.admin.id]);
      await q.query(`UPDATE site_pages SET body = 'The old default.', updated_by = NULL WHERE slug = 'cookies'`);
      const migration = MIGRATIONS.find((m) => m.name === 'SubjectAccess1764960000000')!;
      await new migration().up(q);
      const pages = await q.query(`SELECT slug, body FROM site_pages WHERE slug IN ('privacy', 'cookies') ORDER BY slug`);
      expect(pages[1]).toEqual({ slug: 'privacy', body: 'Our own words.' });
      expect(pages[0].body).toContain('cc_session');
    } finally {
      await q.rollbackTransaction();
      await q.release();
    }
  });

  it('an erasure request is carried out with ErasePerson, or refused with the reason where the data must be kept', async () => {
    const open = async (email: string) => {
      await admin.get('/admin/data-requests/new');
      const res = await admin.post('/admin/data-requests', { kind: 'erasure', email, ...partsOf(londonToday()) });
      expect(res.status).toBe(303);
      return res.headers.location as string;
    };
    // Rita is on an open case: refused, with the case named, and the request stays open.
    const [{ id: ritas }] = await t.db.query(`SELECT id FROM data_protection_requests WHERE kind = 'erasure' AND email = $1`, [REPORTER]);
    const page = await admin.get(`/admin/data-requests/${ritas}`);
    expect(page.text).toContain('They cannot be erased now');
    expect(page.text).toContain(caseRef);
    expect(page.text).not.toContain('id="erase-person"');
    const refused = await admin.post(`/admin/data-requests/${ritas}/erase`, {});
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('still open');
    // Nothing held about an address: nothing to erase, said so.
    const nobody = await open('nobody-at-all@elsewhere.example');
    expect((await admin.get(nobody)).text).toContain('id="erase-nothing-held"');
    expect((await admin.post(`${nobody}/erase`, {})).status).toBe(409);
    // A public body's contact on no case: erased, and the request answered.
    const owen = await open('council-liaison@demo.compact.test');
    const preview = await admin.get(owen);
    expect(preview.text).toContain('id="erase-person"');
    expect(preview.text).toContain('Former contact');
    const done = await admin.post(`${owen}/erase`, {});
    expect(done.status).toBe(303);
    const after = await admin.get(owen);
    expect(after.text).toContain('They have been erased');
    const [row] = await t.db.query(`SELECT status, outcome_note FROM data_protection_requests WHERE id = $1`, [owen.split('/').pop()]);
    expect(row.status).toBe('done');
    expect(row.outcome_note).toContain('Former contact');
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM users WHERE display_name = 'Owen Price'`);
    expect(n).toBe(0);
    // Once answered, it cannot be carried out again.
    expect((await admin.post(`${owen}/erase`, {})).status).toBe(409);
    // Nor by anyone but an administrator.
    await caseworker.get('/deadlines');
    expect((await caseworker.post(`/admin/data-requests/${ritas}/erase`, {})).status).toBe(404);
  });

  it("a public body contact's copy keeps an unnamed reporter unnamed", async () => {
    const filed = await cases.file('reporter2', { reporterMayBeNamed: false, whatHappened: 'Priya Shah told us on 1 October that our grant would end.' });
    const { data } = await t.app.get((await import('@cc/data-protection')).GatherPersonalData).collect('respondent@demo.compact.test', { kind: 'access', receivedOn: londonToday(), dueOn: londonToday() });
    const theCase = data.cases.find((c) => c.reference === filed.reference);
    expect(theCase?.yourPart).toContain('named in the report');
    expect(theCase?.reportingOrganisation).toBe('A voluntary organisation (not named, at its request)');
    expect(theCase?.report?.whatHappened).toBe('Priya Shah told us on 1 October that our grant would end.');
    expect(JSON.stringify(data)).not.toMatch(/Harborough Carers|Colin Carer|carers@demo/);
  });
});
