import { ChildProcess } from 'node:child_process';
import { RetentionRunner } from '@cc/data-protection';
import { CaseDriver } from './support/case-driver';
import { TestApp, startTestApp } from './support/test-app';
import { deleteKeys, testQueuePrefix } from './support/test-redis';
import { TestSmtp } from './support/test-smtp';
import { spawnWorker, waitFor, workerConfig } from './support/test-worker';

/**
 * The daily retention run in the built worker, killed outright (SIGKILL) part-way through the
 * closed cases: the batches it finished stay done and counted, the one it was in is rolled back,
 * and the next worker, once the dead one's lease has run out, resumes the same run and finishes it,
 * every case anonymised once and the statistics' counts as they were.
 */
describe('retention run in a worker killed mid-run (real PostgreSQL, real process)', () => {
  let t: TestApp;
  let d: CaseDriver;
  let smtp: TestSmtp;
  const children: ChildProcess[] = [];
  const prefix = testQueuePrefix('retention-kill');
  const oldCases: string[] = [];

  const q = <T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> => t.db.query(text, values);
  const run = async () => (await q<{ counts: Record<string, number>; finished_at: Date | null }>(`SELECT counts, finished_at FROM retention_runs`))[0];
  const anonymised = async () => (await q<{ n: number }>(`SELECT count(*)::int AS n FROM cases WHERE anonymised_at IS NOT NULL`))[0].n;
  const outcomes = () => q(`SELECT stage, outcome, respondent_organisation_id, count(*)::int AS n FROM cases GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);

  beforeAll(async () => {
    t = await startTestApp('retention-kill');
    d = new CaseDriver(t);
    smtp = await new TestSmtp().start();
    for (let i = 0; i < 120; i++) {
      const { id } = await d.file('reporter', { title: `Old report ${i} from Rita Reporter` });
      await d.send('reporter', id, { type: 'WITHDRAW', reason: `Rita Reporter withdrew report ${i}.` });
      oldCases.push(id);
    }
    await q(`UPDATE cases SET submitted_at = now() - interval '8 years', closed_at = now() - interval '7 years' WHERE id = ANY($1)`, [oldCases]);
    // The e-mails about these cases were sent long ago; the worker need not send them now.
    await q(`UPDATE notifications SET status = 'sent', sent_at = now() - interval '7 years'`);
  }, 180_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await deleteKeys(prefix);
    await smtp?.stop();
    await t?.close();
  });

  it('keeps what the killed worker finished, and the next worker resumes the same run to the same result', async () => {
    const plan = await t.app.get(RetentionRunner).plan();
    const planned = Object.fromEntries(plan.kinds.map((k) => [k.kind, k.count]));
    expect(planned.closedCases).toBe(oldCases.length);
    const before = await outcomes();
    // Two cases a batch, so the run is many transactions long and the kill lands inside it.
    const config = workerConfig(t.database.url, prefix, smtp.url, { RETENTION_FIRST_CHECK_MS: '10', RETENTION_BATCH_SIZE: '2' });

    const first = spawnWorker(config);
    children.push(first);
    await waitFor('the run to be part-way through the closed cases', run, (r) => !!r && !r.finished_at && (r.counts?.closedCases ?? 0) >= 10, 60_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));

    const cut = await run();
    expect(cut.finished_at).toBeNull();
    // What it counted is exactly what it did: each batch's changes and its count commit together.
    expect(await anonymised()).toBe(cut.counts.closedCases);
    expect(cut.counts.closedCases).toBeLessThan(oldCases.length);

    // The dead worker's lease stands for five minutes; here they pass at once.
    await q(`UPDATE retention_runs SET lease_until = now() - interval '1 second'`);
    const second = spawnWorker(config);
    children.push(second);
    const done = await waitFor('the resumed run to finish', run, (r) => !!r.finished_at, 60_000);
    second.kill('SIGTERM');

    expect(done.counts).toEqual(planned);
    expect(await anonymised()).toBe(oldCases.length);
    expect(await q(`SELECT count(*)::int AS n FROM retention_runs`)).toEqual([{ n: 1 }]);
    expect(await q(`SELECT count(*)::int AS n FROM cases WHERE id = ANY($1) AND (title ILIKE '%rita%' OR anonymised_at IS NULL)`, [oldCases])).toEqual([{ n: 0 }]);
    expect(await outcomes()).toEqual(before);
  }, 180_000);
});
