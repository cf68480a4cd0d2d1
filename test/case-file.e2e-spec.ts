import type { Response } from 'supertest';
import { TokenService } from '@cc/identity';
import { CaseDriver } from './support/case-driver';
import { readPdfText } from './support/pdf-text';
import { TestApp, startTestApp } from './support/test-app';
import { WebClient } from './support/web-client';
import { readZip } from './support/zip-read';

/**
 * The case file over HTTP, for each role on one case that has something for everyone to see and
 * something for each to miss: internal, shared and mediator notes, messages with the public body
 * (one "only between us"), a document only staff and the reporter see and one shared with the
 * public body, a reporter who asked not to be named, facts that break a rule. Each role's PDF is
 * read back as text (pdf-parse) and checked for what it must and must not hold; the ZIP's entries
 * are the PDF and exactly the documents that role may download.
 */
describe('case file (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let caseId: string;
  let reference: string;
  let respondentAuth: { Authorization: string };
  const texts = new Map<string, string>();

  const MARK = {
    internal: 'INTERNAL-NOTE-7Q: the council leader is hostile',
    shared: 'SHARED-NOTE-4K: we met the foodbank on Tuesday',
    mediator: 'MEDIATOR-NOTE-5M: both sides open to a phased restoration',
    parties: 'PARTIES-MESSAGE-2B: please send the committee papers',
    betweenUs: 'BETWEEN-US-9Z: the reporter is anxious about funding',
  };
  const REPORTER_FILE = 'reporter-letter.txt';
  const SHARED_FILE = 'council-reply.txt';

  const auth = (who: string) => (who === 'respondent' ? respondentAuth : d.auth(who as Parameters<CaseDriver['auth']>[0]));

  async function pdfText(who: string): Promise<string> {
    const known = texts.get(who);
    if (known) return known;
    const res = await t.http.get(`/api/cases/${caseId}/case-file.pdf`).set(auth(who)).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${reference}-case-file.pdf"`);
    expect(res.headers['cache-control']).toBe('private, no-store');
    const read = await readPdfText(res.body as Buffer);
    // Words as a reader copies them: a cell's text wraps over lines, so any run of spaces and line breaks is one space.
    const text = read.text.replace(/\s+/g, ' ');
    texts.set(who, text);
    return text;
  }

  beforeAll(async () => {
    t = await startTestApp('case-file');
    d = new CaseDriver(t);
    const contact = await t.http
      .post(`/api/organisations/${t.demo.organisations.harboroughCouncil}/contacts`)
      .set(d.auth('caseworker'))
      .send({ name: 'Nadia Named', email: 'nadia.named@respondent.test', jobTitle: 'Head of Commissioning' })
      .expect(201);
    respondentAuth = { Authorization: `Bearer ${(await t.app.get(TokenService).issue(contact.body.userId, 0)).token}` };

    const filed = await d.file('reporter', {
      reporterMayBeNamed: false,
      title: 'Grant ended with two weeks notice',
      facts: { fundingNoticeGivenOn: '2026-10-01', fundingChangeEffectiveOn: '2026-10-15' },
    });
    caseId = filed.id;
    reference = filed.reference;
    await d.send('caseworker', caseId, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    await d.send('caseworker', caseId, { type: 'REQUEST_INFO', questions: 'Who at the council told you the grant would end?' });
    // A letter kept on the case for the reporter: a document, and a line under "Letters sent".
    const templates = (await t.http.get('/api/letter-templates').set(d.auth('caseworker')).expect(200)).body as Array<{ id: string; defaultKey?: string }>;
    const template = templates.find((x) => x.defaultKey === 'information-request');
    await t.http.post(`/api/cases/${caseId}/letters`).set(d.auth('caseworker')).send({ templateId: template?.id, recipients: ['reporter'], byEmail: false }).expect(201);
    await d.send('reporter', caseId, { type: 'PROVIDE_INFO', answer: 'The head of commissioning, by phone.' });
    await d.send('caseworker', caseId, { type: 'ACCEPT' });
    await d.send('caseworker', caseId, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the head of commissioning.', contactIds: [contact.body.id] });
    await d.send('caseworker', caseId, { type: 'RECORD_RESPONSE', summary: 'The council says notice was given by phone.' });

    const note = (who: string, visibility: string, body: string) => t.http.post(`/api/cases/${caseId}/notes`).set(auth(who)).send({ visibility, body }).expect(201);
    await note('caseworker', 'internal', MARK.internal);
    await note('caseworker', 'shared', MARK.shared);
    await t.http.post(`/api/cases/${caseId}/messages`).set(d.auth('caseworker')).send({ body: MARK.parties }).expect(201);
    await t.http.post(`/api/cases/${caseId}/messages`).set(d.auth('caseworker')).send({ body: MARK.betweenUs, onlyBetweenUs: true }).expect(201);

    const upload = (who: string, name: string, content: string) =>
      t.http.post(`/api/cases/${caseId}/evidence`).set(auth(who)).attach('file', Buffer.from(content), { filename: name, contentType: 'text/plain' }).expect(201);
    await upload('reporter', REPORTER_FILE, 'The letter from Rita at Riverside Community Foodbank.');
    const shared = await upload('caseworker', SHARED_FILE, 'The council replied on 3 November.');
    await t.http.post(`/api/cases/${caseId}/evidence/${shared.body.id}/share`).set(d.auth('caseworker')).send({ shared: true }).expect(200);

    await d.send('caseworker', caseId, { type: 'REFER_TO_MEDIATION' });
    await d.send('admin', caseId, { type: 'WAIVE_FEE', reason: 'Hardship' });
    await d.send('caseworker', caseId, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    await note('mediator', 'mediator', MARK.mediator);
  });
  afterAll(() => t?.close());

  it('gives every role the cover, the report, the commitment, deadlines, timeline and documents, with numbered pages', async () => {
    for (const who of ['caseworker', 'admin', 'mediator', 'reporter', 'respondent']) {
      const text = await pdfText(who);
      expect({ who, has: [`Case file: ${reference}`, 'Grant ended with two weeks notice', 'The report', 'Commitment 4.5', 'Deadlines', 'Timeline', 'Documents', 'Page 1 of'].filter((w) => !text.includes(w)) }).toEqual({ who, has: [] });
      // People's words only: no event codes, state codes, ISO times or ids.
      expect({ who, codes: text.match(/\b(REFER_TO_MEDIATION|WAIVE_FEE|CONTACT_RESPONDENT|advocacy\.reviewing|mediation\.appointment)\b|\d{4}-\d\d-\d\dT\d\d|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}/g) }).toEqual({ who, codes: null });
      expect(text).toMatch(/Mediator appointed/);
      expect(text).toMatch(/Mediation fee waived/);
    }
  });

  it('caseworker: internal and shared notes, every message, the rule finding, who reported with their address; never the mediator\'s notes', async () => {
    const text = await pdfText('caseworker');
    for (const must of [MARK.internal, MARK.shared, MARK.parties, MARK.betweenUs, 'Riverside Community Foodbank', 'Rita Reporter', 'reporter@demo.compact.test', 'Likely breach', REPORTER_FILE, SHARED_FILE, 'Mina Mediator', 'Nadia Named']) {
      expect(text).toContain(must);
    }
    expect(text).not.toContain('MEDIATOR-NOTE-5M');
  });

  it('administrator: everything, the mediator\'s notes too', async () => {
    const text = await pdfText('admin');
    for (const must of [MARK.internal, MARK.shared, MARK.mediator, MARK.parties, MARK.betweenUs, 'Likely breach', REPORTER_FILE, SHARED_FILE]) expect(text).toContain(must);
  });

  it('mediator: shared and own confidential notes and the rule finding; no internal notes, messages with the public body or e-mail addresses', async () => {
    const text = await pdfText('mediator');
    for (const must of [MARK.shared, MARK.mediator, 'Likely breach', REPORTER_FILE, SHARED_FILE]) expect(text).toContain(must);
    for (const mustNot of ['INTERNAL-NOTE-7Q', 'BETWEEN-US-9Z', 'PARTIES-MESSAGE-2B', '@']) expect(text).not.toContain(mustNot);
  });

  it('reporter: shared notes and messages to both parties; no internal or mediator notes, "only between us" messages, rule findings or e-mail addresses', async () => {
    const text = await pdfText('reporter');
    for (const must of [MARK.shared, MARK.parties, 'Riverside Community Foodbank', 'Rita Reporter', REPORTER_FILE, SHARED_FILE, 'there are no internal or mediator notes in it']) expect(text).toContain(must);
    for (const mustNot of ['INTERNAL-NOTE-7Q', 'MEDIATOR-NOTE-5M', 'BETWEEN-US-9Z', 'Likely breach', 'Other points from triage', '@']) expect(text).not.toContain(mustNot);
  });

  it('public body: messages with it and the shared document only; not who reported (they asked), no notes, no unshared document, no rule findings', async () => {
    const text = await pdfText('respondent');
    for (const must of [MARK.parties, MARK.betweenUs, SHARED_FILE, 'a voluntary organisation in Harborough', 'not who reported']) expect(text).toContain(must);
    for (const mustNot of ['Riverside', 'Rita Reporter', 'reporter@', REPORTER_FILE, 'INTERNAL-NOTE-7Q', 'SHARED-NOTE-4K', 'MEDIATOR-NOTE-5M', 'Likely breach']) {
      expect({ mustNot, found: text.includes(mustNot) }).toEqual({ mustNot, found: false });
    }
  });

  it('lists the letters sent to those who may see them: staff, the mediator and the reporter; not the public body, which was not sent it', async () => {
    for (const who of ['caseworker', 'admin', 'mediator', 'reporter']) {
      const text = await pdfText(who);
      expect({ who, has: text.includes('Letters sent') && text.includes('Cara Caseworker') && /kept to post or hand over/.test(text) }).toEqual({ who, has: true });
    }
    const theirs = await pdfText('respondent');
    expect(theirs).toContain('Letters sent');
    expect(theirs).toContain('No letter has been sent on this case.');
  });

  it('the ZIP holds the PDF and exactly the documents each role may download, complete', async () => {
    const expected: Record<string, string[]> = {
      caseworker: [REPORTER_FILE, SHARED_FILE],
      admin: [REPORTER_FILE, SHARED_FILE],
      mediator: [REPORTER_FILE, SHARED_FILE],
      reporter: [REPORTER_FILE, SHARED_FILE],
      respondent: [SHARED_FILE],
    };
    for (const [who, files] of Object.entries(expected)) {
      const res = await t.http.get(`/api/cases/${caseId}/case-file.zip`).set(auth(who)).buffer(true).parse(binary);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/zip');
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${reference}-case-file.zip"`);
      const entries = readZip(res.body as Buffer);
      const names = entries.map((e) => e.name);
      expect(names[0]).toBe(`${reference}-case-file.pdf`);
      // Exactly the documents the evidence API lists for this role (the letter sent is one of them).
      const listed = ((await t.http.get(`/api/cases/${caseId}/evidence`).set(auth(who)).expect(200)).body as Array<{ fileName: string }>).map((e) => `documents/${e.fileName}`);
      expect({ who, names: names.slice(1).sort() }).toEqual({ who, names: [...new Set(listed)].sort() });
      for (const f of files) expect(names).toContain(`documents/${f}`);
      if (who === 'respondent') expect(names).toEqual([`${reference}-case-file.pdf`, `documents/${SHARED_FILE}`]);
      expect(entries[0].data.subarray(0, 5).toString()).toBe('%PDF-');
      const shared = entries.find((e) => e.name === `documents/${SHARED_FILE}`);
      expect(shared?.data.toString()).toBe('The council replied on 3 November.');
    }
    // The PDF inside is the role's own: the public body's has no unshared document in its list.
    const zip = readZip((await t.http.get(`/api/cases/${caseId}/case-file.zip`).set(respondentAuth).buffer(true).parse(binary)).body as Buffer);
    expect((await readPdfText(zip[0].data)).text).not.toContain(REPORTER_FILE);
  });

  it('answers 404 to anyone who may not see the case (and for no such case), 401 without sign-in', async () => {
    const other = await t.http
      .post(`/api/organisations/${t.demo.organisations.leicestershirePolice}/contacts`)
      .set(d.auth('caseworker'))
      .send({ name: 'Elsie Elsewhere', email: 'elsie@respondent.test', jobTitle: 'Officer' })
      .expect(201);
    const elsewhere = { Authorization: `Bearer ${(await t.app.get(TokenService).issue(other.body.userId, 0)).token}` };
    for (const file of ['case-file.pdf', 'case-file.zip']) {
      for (const who of [d.auth('reporter2'), d.auth('mediatorTied'), elsewhere]) {
        const res = await t.http.get(`/api/cases/${caseId}/${file}`).set(who);
        expect({ file, status: res.status, code: res.body.code }).toEqual({ file, status: 404, code: 'CASE_NOT_FOUND' });
      }
      expect((await t.http.get(`/api/cases/00000000-0000-4000-8000-00000000dead/${file}`).set(d.auth('caseworker'))).status).toBe(404);
      expect((await t.http.get(`/api/cases/CB-1999-99999/${file}`).set(d.auth('caseworker'))).status).toBe(404);
      expect((await t.http.get(`/api/cases/${caseId}/${file}`)).status).toBe(401);
    }
    // By reference too, as every case route.
    expect((await t.http.get(`/api/cases/${reference}/case-file.pdf`).set(d.auth('reporter'))).status).toBe(200);
  });

  it('the case page offers both downloads to every role, and the page links download the same files', async () => {
    const pages: Array<[string, string]> = [
      ['reporter', 'reporter@demo.compact.test'],
      ['caseworker', 'caseworker@demo.compact.test'],
      ['mediator', 'mediator@demo.compact.test'],
    ];
    for (const [who, email] of pages) {
      const web = new WebClient(t);
      await web.signIn(email);
      const page = await web.get(`/cases/${caseId}`);
      expect({ who, status: page.status }).toEqual({ who, status: 200 });
      expect(page.text).toContain('Download the case file');
      expect(page.text).toContain(`href="/cases/${caseId}/case-file.pdf"`);
      expect(page.text).toContain(`href="/cases/${caseId}/case-file.zip"`);
      const pdf = await web.get(`/cases/${caseId}/case-file.pdf`);
      expect({ who, status: pdf.status, type: pdf.headers['content-type'] }).toEqual({ who, status: 200, type: 'application/pdf' });
      expect(Number(pdf.headers['content-length'])).toBeGreaterThan(10_000);
      const zip = await web.get(`/cases/${caseId}/case-file.zip`);
      expect({ who, status: zip.status, type: zip.headers['content-type'] }).toEqual({ who, status: 200, type: 'application/zip' });
    }
    const stranger = new WebClient(t);
    await stranger.signIn('carers@demo.compact.test');
    expect((await stranger.get(`/cases/${caseId}/case-file.pdf`)).status).toBe(404);
    expect((await stranger.get(`/cases/${caseId}/case-file.zip`)).status).toBe(404);
  });
});

/** supertest's parser for a binary body: the bytes as a Buffer. */
function binary(res: Response, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
  stream.on('error', (e: Error) => done(e, Buffer.alloc(0)));
}
