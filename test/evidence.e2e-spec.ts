import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { FIXTURES, docm, docx } from './support/zip-fixture';
import { isUuid } from '@cc/common';

const MAX_BYTES = 64 * 1024;

/** Evidence over HTTP against real PostgreSQL, stored in a scratch DATA_DIR. */
describe('evidence (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let dataDir: string;
  let caseId: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cc-evidence-'));
    t = await startTestApp('evidence', { DATA_DIR: dataDir, EVIDENCE_MAX_BYTES: MAX_BYTES });
    d = new CaseDriver(t);
    caseId = (await d.file()).id;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  type Who = Parameters<CaseDriver['auth']>[0];
  const upload = (who: Who, id: string, bytes: Buffer, filename: string, description?: string) => {
    const req = t.http.post(`/api/cases/${id}/evidence`).set(d.auth(who));
    if (description !== undefined) req.field('description', description);
    // The client's claimed type is deliberately wrong: only the content may decide.
    return req.attach('file', bytes, { filename, contentType: 'application/octet-stream' });
  };
  const download = (who: Who, id: string, evidenceId: string) =>
    t.http
      .get(`/api/cases/${id}/evidence/${evidenceId}`)
      .set(d.auth(who))
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        // Error answers are JSON; only a file is kept as raw bytes.
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          done(null, /json/.test(String(res.headers['content-type'])) ? JSON.parse(bytes.toString('utf8')) : bytes);
        });
      });
  /** Every file under the storage and staging folders (not the folders themselves). */
  const filesOnDisk = (): string[] => {
    const walk = (dir: string): string[] => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return [];
      }
      return names.flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
    };
    return [...walk(join(dataDir, 'evidence')), ...walk(join(dataDir, 'tmp'))];
  };
  const rowCount = async (id: string): Promise<number> =>
    (await t.db.query(`SELECT count(*)::int AS n FROM evidence WHERE case_id = $1`, [id]))[0].n;
  const expectRefused = (res: Response, status: number, code: string) => {
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
  };

  it('a reporter uploads a PDF and downloads it byte-identical, as an attachment only', async () => {
    const pdf = FIXTURES.pdf();
    const res = await upload('reporter', caseId, pdf, 'Letter from the council – 1 Oct.pdf', 'The letter ending our grant');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      fileName: 'Letter from the council – 1 Oct.pdf',
      mediaType: 'application/pdf',
      sizeBytes: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      description: 'The letter ending our grant',
      uploadedBy: { id: t.demo.users.reporter.id, name: expect.any(String), role: 'reporter' },
      createdAt: expect.any(String),
      downloadUrl: `/api/cases/${caseId}/evidence/${res.body.id}`,
      // A reporter's document is the reporter's and staff's until a caseworker shares it with the public body.
      sharedWithRespondent: false,
      sharedAt: null,
    });

    const file = await download('reporter', caseId, res.body.id);
    expect(file.status).toBe(200);
    expect(Buffer.compare(file.body as Buffer, pdf)).toBe(0);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="Letter from the council _ 1 Oct.pdf"; filename*=UTF-8''Letter%20from%20the%20council%20%E2%80%93%201%20Oct.pdf`,
    );
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(file.headers['cache-control']).toMatch(/private/);
    expect(file.headers['cache-control']).toMatch(/no-store/);

    // The bytes on disk are the ones uploaded, under a random key unrelated to the file name.
    const [row] = await t.db.query(`SELECT storage_key FROM evidence WHERE id = $1`, [res.body.id]);
    expect(isUuid(row.storage_key)).toBe(true);
    expect(filesOnDisk().some((f) => f.endsWith(row.storage_key))).toBe(true);
  });

  it('a caseworker uploads a DOCX; PNG and plain text are accepted too, each typed from its content', async () => {
    const docxRes = await upload('caseworker', caseId, docx(), 'notes of call.docx');
    expect(docxRes.status).toBe(201);
    expect(docxRes.body.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docxRes.body.uploadedBy).toEqual({ id: t.demo.users.caseworker.id, name: expect.any(String), role: 'caseworker' });

    const png = await upload('reporter', caseId, FIXTURES.png(), 'photo of notice.png');
    expect(png.status).toBe(201);
    expect(png.body.mediaType).toBe('image/png');

    const text = await upload('admin', caseId, FIXTURES.text(), 'minutes.txt');
    expect(text.status).toBe(201);
    expect(text.body.mediaType).toBe('text/plain');
    const file = await download('caseworker', caseId, text.body.id);
    expect(file.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(Buffer.compare(file.body as Buffer, FIXTURES.text())).toBe(0);

    const list = await t.http.get(`/api/cases/${caseId}/evidence`).set(d.auth('reporter')).expect(200);
    expect(list.body.map((e: { fileName: string }) => e.fileName)).toEqual(
      expect.arrayContaining(['notes of call.docx', 'photo of notice.png', 'minutes.txt']),
    );
    const createdAt = list.body.map((e: { createdAt: string }) => e.createdAt);
    expect([...createdAt].sort()).toEqual(createdAt);
  });

  it('refuses a file over the limit (413 naming it) and keeps nothing', async () => {
    const id = (await d.file()).id;
    const big = Buffer.concat([FIXTURES.pdf(), Buffer.alloc(MAX_BYTES + 1024, 0x20)]);
    const res = await upload('reporter', id, big, 'scan.pdf');
    expectRefused(res, 413, 'EVIDENCE_TOO_LARGE');
    expect(res.body.message).toMatch(/0\.063 MB limit/);
    expect(res.body.message).toMatch(/smaller|split/);
    expect(await rowCount(id)).toBe(0);
    const stored = await t.db.query(`SELECT storage_key FROM evidence`);
    expect(filesOnDisk().filter((f) => !stored.some((r: { storage_key: string }) => f.endsWith(r.storage_key)))).toEqual([]);
  });

  it.each([
    ['a PNG named .pdf', () => FIXTURES.png(), 'report.pdf', /PNG image.*does not end in \.png/],
    ['a Windows program renamed .pdf', () => FIXTURES.exe(), 'letter.pdf', /Windows program/],
    ['a macro-enabled Word document', () => docm(), 'letter.docx', /macros/],
    ['HTML named .txt', () => FIXTURES.html(), 'page.txt', /HTML/],
  ])('refuses %s (415 on the file field) and keeps nothing', async (_name, bytes, filename, reason) => {
    const id = (await d.file()).id;
    const res = await upload('reporter', id, bytes(), filename);
    expectRefused(res, 415, 'EVIDENCE_TYPE_REFUSED');
    expect(res.body.errors).toEqual([{ field: 'file', reason: expect.stringMatching(reason) }]);
    expect(res.body.accepted).toMatch(/PDF/);
    expect(await rowCount(id)).toBe(0);
    expect(readdirSync(join(dataDir, 'tmp', 'evidence-uploads'))).toEqual([]);
  });

  it('asks for the file when there is none (400 on file), and checks the description', async () => {
    const none = await t.http.post(`/api/cases/${caseId}/evidence`).set(d.auth('reporter')).field('description', 'forgot it');
    expectRefused(none, 400, 'VALIDATION_FAILED');
    expect(none.body.errors).toEqual([{ field: 'file', reason: expect.stringMatching(/required/) }]);

    const json = await t.http.post(`/api/cases/${caseId}/evidence`).set(d.auth('reporter')).send({ file: 'x' });
    expect(json.status).toBe(400);
    expect(json.body.errors[0].field).toBe('file');

    const long = await upload('reporter', caseId, FIXTURES.pdf(), 'a.pdf', 'x'.repeat(501));
    expectRefused(long, 400, 'VALIDATION_FAILED');
    expect(long.body.errors[0].field).toBe('description');
  });

  it("another organisation's reporter and an unappointed mediator get 404 for everything", async () => {
    const { body: evidence } = await upload('reporter', caseId, FIXTURES.pdf(), 'private.pdf').expect(201);
    const before = await rowCount(caseId);
    for (const who of ['reporter2', 'mediator'] as const) {
      expectRefused(await upload(who, caseId, FIXTURES.pdf(), 'x.pdf'), 404, 'CASE_NOT_FOUND');
      expectRefused(await t.http.get(`/api/cases/${caseId}/evidence`).set(d.auth(who)), 404, 'CASE_NOT_FOUND');
      const file = await download(who, caseId, evidence.id);
      expectRefused(file, 404, 'CASE_NOT_FOUND');
      expect(file.headers['content-disposition']).toBeUndefined();
    }
    expect(await rowCount(caseId)).toBe(before);
  });

  it('evidence is found only through its own case', async () => {
    const { body: evidence } = await upload('reporter', caseId, FIXTURES.pdf(), 'one.pdf').expect(201);
    const other = (await d.file()).id;
    expectRefused(await download('reporter', other, evidence.id), 404, 'EVIDENCE_NOT_FOUND');
    expectRefused(await download('reporter', caseId, 'not-a-uuid'), 404, 'EVIDENCE_NOT_FOUND');
  });

  it('an appointed mediator may read evidence but not add it (403 saying why)', async () => {
    const id = await d.toAdvocacyReview();
    await d.send('caseworker', id, { type: 'REFER_TO_MEDIATION' });
    await d.send('admin', id, { type: 'WAIVE_FEE', reason: 'Hardship' });
    await d.send('caseworker', id, { type: 'APPOINT_MEDIATOR', mediatorId: t.demo.users.mediator.id });
    const { body: evidence } = await upload('caseworker', id, FIXTURES.pdf(), 'bundle.pdf').expect(201);

    const res = await upload('mediator', id, FIXTURES.pdf(), 'mine.pdf');
    expectRefused(res, 403, 'EVIDENCE_UPLOAD_NOT_ALLOWED');
    expect(res.body.message).toMatch(/Mediators cannot add evidence/);
    const list = await t.http.get(`/api/cases/${id}/evidence`).set(d.auth('mediator')).expect(200);
    expect(list.body.map((e: { id: string }) => e.id)).toEqual([evidence.id]);
    expect((await download('mediator', id, evidence.id)).status).toBe(200);
  });

  it('a closed case refuses new evidence (409) but its evidence can still be read', async () => {
    const id = (await d.file()).id;
    const { body: evidence } = await upload('reporter', id, FIXTURES.pdf(), 'before.pdf').expect(201);
    await d.send('reporter', id, { type: 'WITHDRAW' });
    const res = await upload('reporter', id, FIXTURES.pdf(), 'after.pdf');
    expectRefused(res, 409, 'CASE_CLOSED');
    expect(res.body.message).toMatch(/only be added to an open case/);
    expect(await rowCount(id)).toBe(1);
    expect((await download('reporter', id, evidence.id)).status).toBe(200);
  });

  it('keeps a document private to the reporter and staff until a caseworker shares it with the public body', async () => {
    const anonymous = (await d.file('reporter', { reporterMayBeNamed: false })).id;
    const mine = await upload('reporter', anonymous, FIXTURES.pdf(), 'our-letter.pdf');
    expect(mine.body).toMatchObject({ sharedWithRespondent: false, sharedAt: null });
    const share = (who: Who, body: Record<string, unknown>) => t.http.post(`/api/cases/${anonymous}/evidence/${mine.body.id}/share`).set(d.auth(who)).send(body);
    expectRefused(await share('reporter', { shared: true }), 403, 'EVIDENCE_SHARING_NOT_ALLOWED');
    expectRefused(await share('reporter2', { shared: true }), 404, 'CASE_NOT_FOUND');
    const unchecked = await share('caseworker', { shared: true, checkedForIdentity: false });
    expectRefused(unchecked, 409, 'IDENTITY_CHECK_NEEDED');
    expect(unchecked.body.message).toMatch(/^Check the document does not name the reporting organisation, then confirm/);
    expect((await share('caseworker', { shared: 'yes' })).status).toBe(400);
    expect((await share('caseworker', { shared: true, checkedForIdentity: true })).body).toMatchObject({ sharedWithRespondent: true, sharedAt: expect.any(String) });
    const listed = (await t.http.get(`/api/cases/${anonymous}/evidence`).set(d.auth('reporter')).expect(200)).body;
    expect(listed).toEqual([expect.objectContaining({ id: mine.body.id, sharedWithRespondent: true })]);
    // Unsharing needs no check, and clears who shared it.
    expect((await share('caseworker', { shared: false })).body).toMatchObject({ sharedWithRespondent: false, sharedAt: null });
    const [row] = await t.db.query(`SELECT shared_with_respondent AS shared, shared_by AS "sharedBy" FROM evidence WHERE id = $1`, [mine.body.id]);
    expect(row).toEqual({ shared: false, sharedBy: null });
  });

  it('removes the stored file when its row cannot be written', async () => {
    const id = (await d.file()).id;
    await t.db.query(`CREATE FUNCTION refuse_evidence() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by test'; END $$`);
    await t.db.query(`CREATE TRIGGER refuse_evidence BEFORE INSERT ON evidence FOR EACH ROW EXECUTE FUNCTION refuse_evidence()`);
    try {
      const before = filesOnDisk().length;
      const res = await upload('reporter', id, FIXTURES.pdf(), 'doomed.pdf');
      expect(res.status).toBe(500);
      expect(filesOnDisk()).toHaveLength(before);
    } finally {
      await t.db.query(`DROP TRIGGER refuse_evidence ON evidence`);
      await t.db.query(`DROP FUNCTION refuse_evidence()`);
    }
    expect(await rowCount(id)).toBe(0);
  });

  it('leaves no staging files behind and every stored file has its row', async () => {
    expect(readdirSync(join(dataDir, 'tmp', 'evidence-uploads'))).toEqual([]);
    const keys: string[] = (await t.db.query(`SELECT storage_key FROM evidence`)).map((r: { storage_key: string }) => r.storage_key);
    const stored = filesOnDisk().map((f) => f.split('/').pop());
    expect(stored.sort()).toEqual([...keys].sort());
  });
});
