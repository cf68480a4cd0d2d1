/**
 * npm run bench:deadlines
 *
 * Seeds BENCH_DEADLINES (default 100,000) pending triage deadlines, on as many assigned cases,
 * falling due evenly over BENCH_WINDOW_SECONDS (default 240) starting a minute from now. Runs the
 * real worker (its own process, BENCH_WORKERS of them) against a local SMTP server, then prints:
 * how late each deadline fired (p50, p99, max), how many were lost (still pending long after they
 * were due) or fired twice, and e-mails per second into the SMTP server (one overdue notice per
 * deadline). Bars on a 2-core machine: p99 lateness < 2 s, 0 lost, 0 twice, >= 200 e-mails/s.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { DataSource } from 'typeorm';
import { seedDemoData } from '@cc/demo-data';
import { createScratchDatabase } from '@cc/persistence';
import { LATEST_BREACH_CASE_VERSION, workflowFor } from '@cc/workflows';
import Redis from 'ioredis';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const COUNT = Number(process.env.BENCH_DEADLINES ?? 100_000);
const WINDOW_S = Number(process.env.BENCH_WINDOW_SECONDS ?? 240);
const LEAD_S = Number(process.env.BENCH_LEAD_SECONDS ?? 60);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);

const step = (message: string) => process.stdout.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

async function main() {
  const prefix = `cc-bench-${randomBytes(3).toString('hex')}`;
  step('creating a scratch database with the migrations');
  const scratch = await createScratchDatabase(SERVER_URL, 'bench_dl');
  const dbUrl = scratch.url;

  const received = new Map<string, number>();
  let firstMail = 0;
  let lastMail = 0;
  const smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (c: Buffer) => {
        if (head.length < 4096) head += c.toString('utf8');
      });
      stream.on('end', () => {
        const id = /^Message-ID:\s*(.+)$/im.exec(head)?.[1]?.trim() ?? '?';
        received.set(id, (received.get(id) ?? 0) + 1);
        lastMail = Date.now();
        if (!firstMail) firstMail = lastMail;
        callback(null, 'ok');
      });
    },
  });
  smtp.on('error', () => undefined);
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as { port: number }).port;

  const workers: ChildProcess[] = [];
  const db = new DataSource({ type: 'postgres', url: dbUrl, extra: { max: 4 } });
  try {
    await db.initialize();
    const demo = await seedDemoData(db);
    const workflow = workflowFor(LATEST_BREACH_CASE_VERSION);
    const started = workflow.start({
      reportingOrganisationId: demo.organisations.riversideFoodbank,
      respondentOrganisationId: demo.organisations.harboroughCouncil,
      submittedAt: new Date().toISOString(),
    });
    step(`seeding ${COUNT} cases, each with a triage deadline due between +${LEAD_S}s and +${LEAD_S + WINDOW_S}s`);
    await db.query(
      `INSERT INTO cases (reference, machine_version, snapshot, state, stage, version, reporting_organisation_id, respondent_organisation_id,
         compact_id, commitments, reported_by, assignee_id, title, what_happened, happened_on, impact, desired_outcome, submitted_at, updated_at)
       SELECT 'CB-BENCH-' || lpad(n::text, 6, '0'), $1, $2, 'submitted', 'submitted', 1, $3, $4, $5, ARRAY['6.1'], $6, $7,
              'Bench case ' || n, 'w', '2026-10-01', 'i', 'd', now(), now()
         FROM generate_series(1, $8) AS n`,
      [workflow.version, JSON.stringify(started.snapshot), demo.organisations.riversideFoodbank, demo.organisations.harboroughCouncil, demo.compacts.national2010, demo.users.reporter.id, demo.users.caseworker.id, COUNT],
    );
    await db.query(
      `INSERT INTO deadlines (case_id, kind, status, started_at, due_at, started_by_seq)
       SELECT id, 'triage', 'pending', now(), now() + make_interval(secs => $1 + $2 * (row_number() OVER (ORDER BY reference) - 1)::float / $3), 1
         FROM cases`,
      [LEAD_S, WINDOW_S, COUNT],
    );
    const [{ first, last }] = await db.query(`SELECT min(due_at) AS first, max(due_at) AS last FROM deadlines`);

    step(`starting ${WORKERS} worker process(es)`);
    for (let i = 0; i < WORKERS; i++) {
      workers.push(
        spawn(process.execPath, [join(__dirname, '..', 'apps', 'worker', 'src', 'main.js')], {
          env: {
            ...process.env,
            NODE_ENV: 'production',
            AUTH_SECRET: randomBytes(32).toString('hex'),
            LOG_LEVEL: 'warn',
            DATABASE_URL: dbUrl,
            REDIS_URL,
            QUEUE_PREFIX: prefix,
            SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
            SMTP_POOL_SIZE: '10',
            WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '50',
            DATABASE_POOL_SIZE: process.env.BENCH_WORKER_POOL ?? '40',
            EMAIL_CONCURRENCY: process.env.BENCH_EMAIL_CONCURRENCY ?? '10',
            SWEEP_INTERVAL_MS: '60000',
          },
          stdio: ['ignore', 'inherit', 'inherit'],
        }),
      );
    }

    const lostAfter = new Date(last).getTime() + 70_000;
    for (;;) {
      const [s] = await db.query(
        `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'fired')::int AS fired,
                (SELECT count(*) FROM notifications WHERE status = 'sent')::int AS sent, (SELECT count(*) FROM deadlines WHERE status = 'pending' AND wakeup_for IS NULL)::int AS unrelayed
           FROM deadlines`,
      );
      step(`fired ${s.fired}/${COUNT}, pending ${s.pending} (not yet relayed ${s.unrelayed}), e-mails delivered ${received.size}`);
      if ((s.pending === 0 && received.size >= COUNT) || Date.now() > lostAfter + 600_000) break;
      if (s.pending > 0 && Date.now() > lostAfter && received.size >= s.fired) break;
      await new Promise((r) => setTimeout(r, 5_000));
    }

    const lateness: number[] = (await db.query(`SELECT extract(epoch FROM fired_at - due_at) * 1000 AS late FROM deadlines WHERE status = 'fired'`)).map(
      (r: { late: string }) => Number(r.late),
    );
    lateness.sort((a, b) => a - b);
    const [{ lost }] = await db.query(`SELECT count(*)::int AS lost FROM deadlines WHERE status <> 'fired'`);
    const [{ twice }] = await db.query(`SELECT count(*)::int AS twice FROM (SELECT deadline_id FROM notifications GROUP BY deadline_id HAVING count(*) > 1) x`);
    const duplicateMails = [...received.values()].filter((n) => n > 1).length;
    const mailSeconds = (lastMail - firstMail) / 1000;
    const mailRate = received.size / Math.max(mailSeconds, 0.001);

    console.log(`\ndeadlines: ${COUNT}, due ${new Date(first).toISOString()} .. ${new Date(last).toISOString()}`);
    console.log(`lateness ms: p50 ${percentile(lateness, 50).toFixed(0)}, p99 ${percentile(lateness, 99).toFixed(0)}, max ${lateness[lateness.length - 1]?.toFixed(0)}  (bar: p99 < 2000)`);
    console.log(`lost: ${lost} (bar 0)   fired twice: ${twice} (bar 0)   e-mails sent twice: ${duplicateMails}`);
    console.log(`e-mails: ${received.size} delivered in ${mailSeconds.toFixed(1)} s = ${mailRate.toFixed(0)}/s (bar >= 200/s)`);
    const pass = percentile(lateness, 99) < 2000 && lost === 0 && twice === 0 && duplicateMails === 0 && mailRate >= 200;
    console.log(pass ? 'PASS' : 'FAIL');
    process.exitCode = pass ? 0 : 1;
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 1000));
    await db.destroy().catch(() => undefined);
    smtp.close();
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
    redis.disconnect();
    await scratch.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
