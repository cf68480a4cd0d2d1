/**
 * npm run bench:security
 *
 * On a scratch database, with the real API in this process over HTTP:
 * 1. A password-reset request for an address with an account and for one without: the answers
 *    must be the same and take the same time (no way to learn who has an account). Interleaved,
 *    each from its own client address (TRUST_PROXY, X-Forwarded-For) and for its own address, so
 *    the throttle never steps in. PASS when the medians differ by under 5 ms and by under 10%.
 * 2. A wrong password for a known account and for an unknown e-mail: the same comparison.
 * 3. What checking a bearer token costs each request now that the account is read every time
 *    (revocation holds in every process at once): GET /api/auth/me, p50/p95.
 *
 * Env: BENCH_DATABASE_URL or DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), RUNS (default 200).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createApiApp } from '@cc/api';
import { loadConfig } from '@cc/config';
import { DEMO_PASSWORD, seedDemoData } from '@cc/demo-data';
import { hashPassword } from '@cc/identity';
import { createScratchDatabase } from '@cc/persistence';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const RUNS = Number(process.env.RUNS ?? 200);

const began = Date.now();
const step = (message: string) => process.stdout.write(`[bench ${((Date.now() - began) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function main(): Promise<void> {
  const database = await createScratchDatabase(SERVER_URL, 'bench_security');
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-bench-security-'));
  const app = await createApiApp(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, DATA_DIR: dataDir, TRUST_PROXY: 'true' }));
  let failed = false;
  try {
    const db = app.get(DataSource);
    const demo = await seedDemoData(db);
    step(`adding ${RUNS} accounts`);
    const hash = await hashPassword(DEMO_PASSWORD);
    await db.query(
      `INSERT INTO users (email, display_name, role, password_hash) SELECT 'bench' || i || '@example.org', 'Bench ' || i, 'caseworker', $1 FROM generate_series(1, $2) AS i`,
      [hash, RUNS],
    );
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    let address = 0;
    const post = async (path: string, body: unknown) => {
      address++;
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}` },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      return { ms: performance.now() - t0, status: res.status, text };
    };
    const compare = async (label: string, known: (i: number) => Promise<{ ms: number; status: number; text: string }>, unknown: (i: number) => Promise<{ ms: number; status: number; text: string }>) => {
      for (let i = 0; i < 10; i++) await known(RUNS + i).catch(() => undefined);
      const a: number[] = [];
      const b: number[] = [];
      const answers = new Set<string>();
      for (let i = 1; i <= RUNS; i++) {
        const [first, second] = i % 2 ? [known, unknown] : [unknown, known];
        const r1 = await first(i);
        const r2 = await second(i);
        (first === known ? a : b).push(r1.ms);
        (second === known ? a : b).push(r2.ms);
        answers.add(`${r1.status} ${r1.text}`);
        answers.add(`${r2.status} ${r2.text}`);
      }
      const [ma, mb] = [quantile(a, 0.5), quantile(b, 0.5)];
      const diff = Math.abs(ma - mb);
      const ok = answers.size === 1 && diff < 5 && diff / Math.max(ma, mb) < 0.1;
      failed ||= !ok;
      step(
        `${label}: with an account p50 ${fmt(ma)} p95 ${fmt(quantile(a, 0.95))}; without p50 ${fmt(mb)} p95 ${fmt(quantile(b, 0.95))}; ` +
          `medians differ by ${fmt(diff)}; ${answers.size === 1 ? 'the same answer' : `${answers.size} different answers`} -> ${ok ? 'PASS' : 'FAIL'}`,
      );
    };

    step(`1. password-reset requests, ${RUNS} each, interleaved`);
    await compare(
      'reset request',
      (i) => post('/api/auth/password-reset', { email: `bench${(i % RUNS) + 1}@example.org` }),
      (i) => post('/api/auth/password-reset', { email: `nobody${i}@example.org` }),
    );
    step(`2. wrong passwords, ${RUNS} each, interleaved`);
    await compare(
      'wrong password',
      (i) => post('/api/auth/login', { email: `bench${(i % RUNS) + 1}@example.org`, password: 'not the password at all' }),
      (i) => post('/api/auth/login', { email: `nobody${i}@example.org`, password: 'not the password at all' }),
    );

    step(`3. an authenticated request (the account read each time), ${RUNS * 5} runs`);
    const login = await post('/api/auth/login', { email: demo.users.caseworker.email, password: DEMO_PASSWORD });
    const token = JSON.parse(login.text).token as string;
    const times: number[] = [];
    for (let i = 0; i < RUNS * 5; i++) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      await res.text();
      if (i >= 50) times.push(performance.now() - t0);
    }
    step(`GET /api/auth/me: p50 ${fmt(quantile(times, 0.5))} p95 ${fmt(quantile(times, 0.95))} p99 ${fmt(quantile(times, 0.99))}`);
  } finally {
    await app.close();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  step(failed ? 'FAIL' : 'PASS');
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
