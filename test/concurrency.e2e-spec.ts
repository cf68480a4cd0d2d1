import { CaseDriver, MONITOR_UNTIL } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';

/** Many clients, one case: each event applies to exactly one version, and the log has no holes. */
describe('concurrency (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let d: CaseDriver;

  beforeAll(async () => {
    t = await startTestApp('concurrency', { DATABASE_POOL_SIZE: 25 });
    d = new CaseDriver(t);
  });
  afterAll(() => t?.close());

  async function log(caseId: string) {
    return t.db.query(`SELECT seq, type FROM case_events WHERE case_id = $1 ORDER BY seq`, [caseId]) as Promise<Array<{ seq: number; type: string }>>;
  }
  async function version(caseId: string): Promise<number> {
    const [row] = await t.db.query(`SELECT version FROM cases WHERE id = $1`, [caseId]);
    return row.version;
  }

  it('20 clients accept one case at once: exactly one applies, 19 are told it is no longer possible', async () => {
    const { id } = await d.file();
    await d.send('caseworker', id, { type: 'ASSIGN', caseworkerId: t.demo.users.caseworker.id });
    const responses = await Promise.all(Array.from({ length: 20 }, () => d.raw('caseworker', id, { type: 'ACCEPT' })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    expect(await version(id)).toBe(3);
    expect((await log(id)).map((e) => e.type)).toEqual(['SUBMITTED', 'ASSIGN', 'ACCEPT']);
  });

  it('20 clients send valid and invalid events at once: exactly the valid ones apply, in one gapless sequence', async () => {
    const id = await d.toAdvocacyReview();
    await d.send('caseworker', id, { type: 'OPEN_NEGOTIATION' });
    const start = await version(id);
    const events = Array.from({ length: 20 }, (_, i) =>
      i === 10
        ? { type: 'AGREE', agreedActions: ['Restore the grant'], monitorUntil: MONITOR_UNTIL }
        : { type: 'RECORD_MEETING', heldOn: '2026-11-02', summary: `Meeting ${i}` },
    );
    const responses = await Promise.all(events.map((e) => d.raw('caseworker', id, e)));
    const applied = responses.filter((r) => r.status === 200);
    const refused = responses.filter((r) => r.status !== 200);
    for (const r of refused) expect(r.body.code).toBe('EVENT_NOT_ALLOWED_IN_STATE');

    const entries = (await log(id)).filter((e) => e.seq > start);
    // Every applied event is in the log once, at the seq it was told, with no gaps.
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: applied.length }, (_, i) => start + i + 1));
    expect(applied.map((r) => r.body.seq).sort((a, b) => a - b)).toEqual(entries.map((e) => e.seq));
    expect(await version(id)).toBe(start + applied.length);
    // AGREE ends the negotiation, so it is the last applied event and every later meeting was refused.
    expect(entries[entries.length - 1].type).toBe('AGREE');
    expect(entries.filter((e) => e.type === 'AGREE')).toHaveLength(1);
    expect(applied.length + refused.length).toBe(20);
  });

  it('20 clients record meetings at once: all 20 apply, the version rises by 20', async () => {
    const id = await d.toAdvocacyReview();
    await d.send('caseworker', id, { type: 'OPEN_NEGOTIATION' });
    const start = await version(id);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => d.raw('caseworker', id, { type: 'RECORD_MEETING', heldOn: '2026-11-02', summary: `Meeting ${i}` })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(await version(id)).toBe(start + 20);
    const seqs = (await log(id)).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: start + 20 }, (_, i) => i + 1));
  });
});
