/**
 * npm run bench:pages
 *
 * On a scratch database with CASES cases (default 100,000) whose rows, snapshots, event logs and
 * clocks come from the real workflow, the real API runs in this process and a caseworker signs in
 * through the pages (GET /sign-in for the CSRF cookie, POST /sign-in). Then, after a warm-up,
 * CONNECTIONS concurrent clients (default 16; autocannon, in a worker thread) ask for each page
 * for DURATION seconds (default 10): the case page (GET /cases/<id>, a different case each
 * time), the triage queue (GET /triage) and the case list (GET /cases). Prints p50 and p99 per
 * page, PASS when p99 is under 150 ms and every answer was a 200, and how many times the case page
 * reads the case's row (counted around the pg client every connection uses; PASS at one), with
 * every statement that touches the cases table and how often per page. Exits 1 on any FAIL.
 *
 * Env: BENCH_DATABASE_URL or DATABASE_URL (server to create the scratch database on; default
 * postgres://postgres@127.0.0.1:5432/test), CASES, CONNECTIONS, DURATION (seconds), WARMUP
 * (seconds, default 2), KEEP_DB=1 keeps the database and prints its URL, ONLY=case,triage,list
 * runs only those pages (for profiling; such a run is never a PASS), BENCH_API_PROCESSES=2 loads the
 * API run as deployed on two cores (its own processes sharing the port) instead of this process.
 * READ_AUDIT=off runs the API without recording staff reads (@cc/audit), only to measure what
 * recording costs: compare a run with and without it under the same load.
 * REUSE_DB=<url of a database kept by KEEP_DB=1> loads the pages on those cases again without
 * seeding or migrating (and keeps it): runs of two builds with the same migrations on the same
 * cases compare like with like.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApiApp } from '@cc/api';
import { loadConfig } from '@cc/config';
import { DEMO_PASSWORD, seedDemoData } from '@cc/demo-data';
import { createScratchDatabase } from '@cc/persistence';
import { BreachCaseEvent, CaseEffect, LATEST_BREACH_CASE_VERSION, SYSTEM_EVENT_TYPES, workflowFor } from '@cc/workflows';
import { PageLoadResult, loadPage } from './support/page-load';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CASES = Number(process.env.CASES ?? 100_000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
const DURATION_S = Number(process.env.DURATION ?? 10);
const WARMUP_S = Number(process.env.WARMUP ?? 2);
/** For profiling one page: e.g. ONLY=case (case, triage, list); a run with ONLY set never passes. */
const ONLY = process.env.ONLY?.split(',');
/** BENCH_API_PROCESSES=2: load the API run as deployed on two cores (its own processes) instead of in this one. */
const API_PROCESSES = Number(process.env.BENCH_API_PROCESSES ?? 1);
/** A database kept by an earlier run (KEEP_DB=1): its cases are loaded again, not seeded. */
const REUSE_DB = process.env.REUSE_DB;
/** The demo caseworker the pages are loaded as (seeded by the demo data). */
const CASEWORKER_EMAIL = 'caseworker@demo.compact.test';
const BAR_P99_MS = 150;
const CHUNK = 25_000;
const VOLUNTARY_GROUPS = 500;
const BENCH_CASEWORKERS = 8;
/** Case pages read one after another with the statement counter on. */
const COUNTED_CASE_PAGES = 50;
/** Pages of each kind read one after another to measure the CPU each costs (CPU_PAGES adjusts it). */
const CPU_PAGES = Number(process.env.CPU_PAGES ?? 200);

/**
 * A run ends with requests still being answered (autocannon stops waiting for them): let them
 * finish, so they neither load the next run nor meet a closed pool at the end.
 */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 1000));

const began = Date.now();
function step(message: string) {
  process.stdout.write(`[bench ${((Date.now() - began) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);
}

/**
 * Paths cases take (as in bench-stats, plus an information request answered), each event with
 * the mean days after the previous one. Every step of every path is a place a case can be now.
 */
function paths(mediatorId: string): Array<Array<[Record<string, unknown>, number]>> {
  // The ASSIGN payload's caseworker is replaced by each case's own assignee when the case is written.
  const assign: [Record<string, unknown>, number] = [{ type: 'ASSIGN', caseworkerId: '00000000-0000-4000-8000-00000000000c' }, 2];
  const reviewing: Array<[Record<string, unknown>, number]> = [
    [{ type: 'ACCEPT' }, 4],
    [{ type: 'CONTACT_RESPONDENT', summary: 'Wrote to the chief executive.' }, 5],
    [{ type: 'RECORD_RESPONSE', summary: 'They replied.' }, 20],
  ];
  const monitor = { agreedActions: ['Restore the grant'], monitorUntil: '2027-01-01' };
  return [
    [assign, [{ type: 'REJECT', reason: 'notCompactMatter', explanation: 'Not a Compact matter.' }, 5]],
    [assign, [{ type: 'REQUEST_INFO', questions: 'Which grant?' }, 3], [{ type: 'INFORMATION_OVERDUE' }, 14]],
    [assign, [{ type: 'REQUEST_INFO', questions: 'When did the grant end?' }, 3], [{ type: 'PROVIDE_INFO', answer: 'On 1 October.' }, 4], [{ type: 'ACCEPT' }, 3]],
    [assign, [{ type: 'ACCEPT' }, 4], [{ type: 'WITHDRAW' }, 20]],
    [assign, ...reviewing, [{ type: 'RESOLVE', ...monitor }, 7], [{ type: 'CONFIRM_IMPLEMENTED' }, 60]],
    [
      assign,
      ...reviewing,
      [{ type: 'OPEN_NEGOTIATION' }, 7],
      [{ type: 'RECORD_MEETING', heldOn: '2024-12-10', summary: 'Met.' }, 20],
      [{ type: 'AGREE', ...monitor }, 15],
      [{ type: 'CONFIRM_IMPLEMENTED' }, 60],
    ],
    [assign, ...reviewing, [{ type: 'CLOSE_UNRESOLVED', reason: 'No movement.' }, 10]],
    [
      assign,
      ...reviewing,
      [{ type: 'CAMPAIGN', plan: 'Letters to councillors.' }, 7],
      [{ type: 'RECORD_ACTIVITY', summary: 'Petition delivered.' }, 30],
      [{ type: 'CLOSE', outcome: 'unresolved', summary: 'Campaign ended.' }, 60],
    ],
    [
      assign,
      ...reviewing,
      [{ type: 'REFER_TO_MEDIATION' }, 10],
      [{ type: 'QUOTE_FEE', amountPence: 100_000, reporterSharePercent: 50 }, 5],
      [{ type: 'AGREE_FEE', party: 'reporter' }, 4],
      [{ type: 'AGREE_FEE', party: 'respondent' }, 3],
      [{ type: 'RECORD_PAYMENT', party: 'reporter', amountPence: 50_000 }, 7],
      [{ type: 'RECORD_PAYMENT', party: 'respondent', amountPence: 50_000 }, 5],
      [{ type: 'APPOINT_MEDIATOR', mediatorId, mediatorTies: [] }, 5],
      [{ type: 'SCHEDULE_SESSION', startsAt: '2025-01-01T10:00:00Z', location: 'Town hall' }, 3],
      [{ type: 'RECORD_SESSION_HELD' }, 21],
      [{ type: 'RECORD_OUTCOME', result: 'settled', summary: 'Agreed.', ...monitor }, 2],
      [{ type: 'CONFIRM_IMPLEMENTED' }, 60],
    ],
  ];
}

/** A clock as it stands after some step: what the deadlines table would hold for it. */
interface Clock {
  kind: string;
  status: 'pending' | 'paused' | 'met' | 'cancelled' | 'fired';
  startedSeq: number;
  startedDays: number;
  dueAt: string | null;
  workingDays: number | null;
  endedDays: number | null;
}

/** Which event a clock's expiry sends (the firing service's table, for the system events in the paths). */
const FIRED_BY: Record<string, string> = { INFORMATION_OVERDUE: 'informationRequest', RESPONSE_OVERDUE: 'respondentReply', FEE_AGREEMENT_OVERDUE: 'feeAgreement' };

function roleOf(type: string): string {
  if (type === 'SUBMITTED') return 'reporter';
  if ((SYSTEM_EVENT_TYPES as readonly string[]).includes(type)) return 'system';
  if (['PROVIDE_INFO'].includes(type)) return 'reporter';
  if (['SCHEDULE_SESSION', 'RECORD_SESSION_HELD', 'RECORD_OUTCOME'].includes(type)) return 'mediator';
  return 'caseworker';
}

/** Every step of every path as a row: the event, the state, snapshot and effects the real workflow made, and the clocks after it. */
function pathSteps(mediatorId: string): unknown[][] {
  const workflow = workflowFor(LATEST_BREACH_CASE_VERSION);
  // Every step is decided at one time, so the dates in the paths (meetings held, sessions) fit it.
  const at = '2025-01-01T09:00:00.000Z';
  const rows: unknown[][] = [];
  for (const [pathId, events] of paths(mediatorId).entries()) {
    const clocks: Clock[] = [];
    const apply = (effects: CaseEffect[], seq: number, days: number) => {
      for (const e of effects) {
        const running = clocks.find((c) => c.kind === (e as { kind?: string }).kind && (c.status === 'pending' || c.status === 'paused'));
        if (e.type === 'startDeadline') {
          clocks.push({ kind: e.kind, status: 'pending', startedSeq: seq, startedDays: days, dueAt: e.dueAt ?? null, workingDays: e.workingDays ?? null, endedDays: null });
        } else if (running && e.type === 'endDeadline') Object.assign(running, { status: e.status, endedDays: days });
        else if (running && e.type === 'pauseDeadline') running.status = 'paused';
        else if (running && e.type === 'resumeDeadline') running.status = 'pending';
      }
    };
    let current = workflow.start({ reportingOrganisationId: '00000000-0000-4000-8000-000000000001', respondentOrganisationId: '00000000-0000-4000-8000-000000000002', submittedAt: at });
    apply(current.effects, 1, 0);
    const row = (seq: number, type: string, payload: unknown, from: string | null, effects: CaseEffect[], days: number) => [
      pathId, seq, type, JSON.stringify(payload), roleOf(type), from, current.state, current.stage, current.context.outcome,
      JSON.stringify(current.snapshot), JSON.stringify(effects), days, JSON.stringify(clocks),
    ];
    rows.push(row(1, 'SUBMITTED', {}, null, current.effects, 0));
    let days = 0;
    for (const [i, [event, gap]] of events.entries()) {
      const from = current.state;
      const { type, ...payload } = event;
      const decision = workflow.decide(current.snapshot, { ...event, at } as unknown as BreachCaseEvent);
      if (!decision.ok) throw new Error(`path ${pathId}: ${String(type)} refused in ${from}: ${JSON.stringify(decision)}`);
      current = decision;
      days += gap;
      const fired = clocks.find((c) => c.kind === FIRED_BY[String(type)] && c.status === 'pending');
      if (fired) Object.assign(fired, { status: 'fired', endedDays: days });
      apply(decision.effects, i + 2, days);
      rows.push(row(i + 2, String(type), payload, from, decision.effects, days));
    }
  }
  return rows;
}

async function seedLookups(db: DataSource, demo: Awaited<ReturnType<typeof seedDemoData>>) {
  await db.query(`INSERT INTO organisations (name, sector) SELECT 'Bench voluntary group ' || i, 'voluntary' FROM generate_series(1, $1) AS i`, [VOLUNTARY_GROUPS]);
  await db.query(`
    INSERT INTO users (email, display_name, role, organisation_id, password_hash)
    SELECT 'bench-reporter-' || substring(o.name from '[0-9]+$') || '@bench.test', 'Bench Reporter ' || substring(o.name from '[0-9]+$'), 'reporter', o.id, 'x'
      FROM organisations o WHERE o.name LIKE 'Bench voluntary group %'`);
  await db.query(`
    INSERT INTO users (email, display_name, role, password_hash)
    SELECT 'bench-caseworker-' || i || '@bench.test', 'Bench Caseworker ' || i, 'caseworker', 'x' FROM generate_series(1, $1) AS i`, [BENCH_CASEWORKERS]);
  // Indexed from 0 for the generator. The signed-in demo caseworker is among the assignees, so
  // the triage queue has their own cases as well as new ones.
  await db.query(`CREATE UNLOGGED TABLE bench_groups AS
    SELECT (row_number() OVER (ORDER BY o.id) - 1)::int AS idx, o.id, u.id AS reporter
      FROM organisations o JOIN users u ON u.organisation_id = o.id WHERE o.name LIKE 'Bench voluntary group %'`);
  await db.query(`CREATE UNLOGGED TABLE bench_bodies AS SELECT (row_number() OVER (ORDER BY id) - 1)::int AS idx, id FROM organisations WHERE sector = 'public'`);
  await db.query(
    `CREATE UNLOGGED TABLE bench_caseworkers AS
      SELECT (row_number() OVER (ORDER BY email) - 1)::int AS idx, id FROM users WHERE email LIKE 'bench-caseworker-%' OR id = ANY($1::uuid[])`,
    [[demo.users.caseworker.id, demo.users.caseworker2.id]],
  );
  await db.query(`CREATE UNLOGGED TABLE bench_compacts AS
    SELECT (row_number() OVER (ORDER BY k.id) - 1)::int AS idx, k.id, array_agg(c.id ORDER BY c.position) AS commitment_ids, array_agg(c.reference ORDER BY c.position) AS refs
      FROM compacts k JOIN commitments c ON c.compact_id = k.id GROUP BY k.id`);
  const [counts] = await db.query(`
    SELECT (SELECT count(*) FROM bench_groups)::int AS groups, (SELECT count(*) FROM bench_bodies)::int AS bodies,
           (SELECT count(*) FROM bench_caseworkers)::int AS caseworkers, (SELECT count(*) FROM bench_compacts)::int AS compacts`);
  for (const [name, n] of Object.entries(counts)) if (!n) throw new Error(`no ${name} to give the cases`);
  for (const t of ['bench_groups', 'bench_bodies', 'bench_caseworkers', 'bench_compacts']) await db.query(`ANALYZE ${t}`);
  return counts as { groups: number; bodies: number; caseworkers: number; compacts: number };
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * One chunk of cases, n in [first, last]: each at one step of one path (drawn by hash), submitted
 * early enough that all its events are in the past, with a reporter organisation and its reporter,
 * a respondent, a Compact and one or two of its commitments, an assignee once assigned. The
 * workflow's snapshot is given the case's own organisations, assignee and times; the event log
 * holds every step up to that one, and the clocks are those the steps left.
 */
const SEED_CHUNK_SQL = `
  WITH s AS MATERIALIZED (
    SELECT g.n, gen_random_uuid() AS id, st.path_id, st.seq AS last_seq, st.snapshot, st.to_state, st.stage, st.outcome, st.cum_days, st.clocks,
           now() - (1 + st.cum_days + random() * 900) * interval '1 day' AS submitted_at,
           b.id AS respondent, gr.id AS reporting, gr.reporter, cw.id AS assignee, k.id AS compact_id,
           CASE WHEN g.n % 3 = 0 AND cardinality(k.commitment_ids) > 1 THEN k.commitment_ids[1:2] ELSE k.commitment_ids[1 + g.n % cardinality(k.commitment_ids):1 + g.n % cardinality(k.commitment_ids)] END AS commitment_ids,
           CASE WHEN g.n % 3 = 0 AND cardinality(k.refs) > 1 THEN k.refs[1:2] ELSE k.refs[1 + g.n % cardinality(k.refs):1 + g.n % cardinality(k.refs)] END AS refs,
           (ARRAY['Grant ended without notice', 'Consultation ran for two weeks', 'Volunteers refused access', 'Contract terms changed', 'Funding cut mid-year'])[1 + g.n % 5] || ' ' || g.n AS title,
           'The public body acted without the notice the Compact requires.'::text AS what_happened
      FROM generate_series($1::int, $2::int) AS g(n)
      JOIN bench_steps st ON st.idx = (hashint4(g.n) & 2147483647) % $3
      JOIN bench_bodies b ON b.idx = (hashint4(g.n + 1) & 2147483647) % $4
      JOIN bench_groups gr ON gr.idx = (hashint4(g.n + 2) & 2147483647) % $5
      JOIN bench_caseworkers cw ON cw.idx = g.n % $6
      JOIN bench_compacts k ON k.idx = (hashint4(g.n + 3) & 2147483647) % $7
  ), c AS MATERIALIZED (
    SELECT s.*,
           'CB-' || to_char(s.submitted_at AT TIME ZONE 'UTC', 'YYYY') || '-' || CASE WHEN s.n < 100000 THEN lpad(s.n::text, 5, '0') ELSE s.n::text END AS reference,
           s.submitted_at + s.cum_days * interval '1 day' AS updated_at,
           (s.snapshot -> 'context' ->> 'assigneeId') IS NOT NULL AS assigned,
           (s.snapshot -> 'context' ->> 'mediatorId')::uuid AS mediator
      FROM s
  ), docs AS MATERIALIZED (
    -- The search triggers do not fire in a bulk load (replica role), so the document and its words
    -- are made here, on the case's own row (a join back by id is planned as a nested loop: the
    -- planner expects one row from these CTEs).
    SELECT c.*, case_search_document(c.reference, c.title, c.what_happened, c.reporting, c.respondent, c.reporter) AS search FROM c
  ), words AS (
    INSERT INTO case_search_words (word) SELECT DISTINCT unnest(tsvector_to_array(search)) FROM docs ON CONFLICT DO NOTHING
  ), inserted AS (
    INSERT INTO cases (id, reference, machine_version, snapshot, state, stage, version, reporting_organisation_id, respondent_organisation_id,
      compact_id, commitments, commitment_ids, reported_by, assignee_id, mediator_id, outcome, title, what_happened, happened_on, impact, desired_outcome,
      evidence, submitted_at, updated_at, closed_at, search)
    SELECT c.id, c.reference, $8, jsonb_set(jsonb_set(jsonb_set(jsonb_set(jsonb_set(c.snapshot,
             '{context,reportingOrganisationId}', to_jsonb(c.reporting)),
             '{context,respondentOrganisationId}', to_jsonb(c.respondent)),
             '{context,submittedAt}', to_jsonb(to_char(c.submitted_at AT TIME ZONE 'UTC', ${ISO}))),
             '{context,assigneeId}', CASE WHEN c.assigned THEN to_jsonb(c.assignee) ELSE 'null'::jsonb END),
             '{context,closedAt}', CASE WHEN c.snapshot -> 'context' ->> 'closedAt' IS NULL THEN 'null'::jsonb ELSE to_jsonb(to_char(c.updated_at AT TIME ZONE 'UTC', ${ISO})) END),
           c.to_state, c.stage, c.last_seq, c.reporting, c.respondent,
           c.compact_id, c.refs, c.commitment_ids, c.reporter, CASE WHEN c.assigned THEN c.assignee END, c.mediator,
           CASE WHEN c.stage = 'closed' THEN c.outcome END,
           c.title, c.what_happened, (c.submitted_at - interval '20 days')::date,
           'Services reduced.', 'Notice as the Compact requires.', 'Letter from the public body.',
           c.submitted_at, c.updated_at, CASE WHEN c.stage = 'closed' THEN c.updated_at END, c.search
      FROM docs c
    RETURNING 1
  ), events AS (
    INSERT INTO case_events (case_id, seq, type, payload, actor_id, actor_role, from_state, to_state, effects, occurred_at)
    SELECT c.id, e.seq, e.type,
           CASE e.type WHEN 'SUBMITTED' THEN jsonb_build_object('title', c.title, 'commitments', to_jsonb(c.refs))
                       WHEN 'ASSIGN' THEN jsonb_set(e.payload, '{caseworkerId}', to_jsonb(c.assignee))
                       ELSE e.payload END,
           CASE e.role WHEN 'reporter' THEN c.reporter WHEN 'system' THEN NULL WHEN 'mediator' THEN c.mediator ELSE c.assignee END,
           e.role, e.from_state, e.to_state, e.effects, c.submitted_at + e.cum_days * interval '1 day'
      FROM c JOIN bench_steps e ON e.path_id = c.path_id AND e.seq <= c.last_seq
    RETURNING 1
  ), clocks AS (
    INSERT INTO deadlines (case_id, kind, status, started_at, due_at, remaining_ms, fired_at, ended_at, wakeup_for, started_by_seq)
    SELECT c.id, d.kind, d.status, c.submitted_at + d."startedDays" * interval '1 day', due.at,
           CASE WHEN d.status = 'paused' THEN 5 * 86400000 END,
           CASE WHEN d.status = 'fired' THEN c.submitted_at + d."endedDays" * interval '1 day' END,
           CASE WHEN d.status IN ('met', 'cancelled') THEN c.submitted_at + d."endedDays" * interval '1 day' END,
           due.at, d."startedSeq"
      FROM c CROSS JOIN LATERAL jsonb_to_recordset(c.clocks) AS d(kind text, status text, "startedSeq" int, "startedDays" float8, "dueAt" timestamptz, "workingDays" int, "endedDays" float8)
      -- A running clock falls due from a few days ago to a few weeks ahead, so the pages show some overdue.
      CROSS JOIN LATERAL (SELECT CASE WHEN d.status = 'paused' THEN NULL
                                      WHEN d.status = 'pending' THEN coalesce(d."dueAt", now() + ((hashint4(c.n + 5) & 2147483647) % 30 - 5) * interval '1 day')
                                      ELSE coalesce(d."dueAt", c.submitted_at + (d."startedDays" + 1.4 * coalesce(d."workingDays", 10)) * interval '1 day') END AS at) due
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM inserted)::int AS cases, (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM clocks)::int AS clocks`;

async function seedCases(db: DataSource, demo: Awaited<ReturnType<typeof seedDemoData>>, lookups: Awaited<ReturnType<typeof seedLookups>>) {
  const steps = pathSteps(demo.users.mediator.id);
  await db.query(`CREATE UNLOGGED TABLE bench_steps (idx serial, path_id int, seq int, type text, payload jsonb, role text, from_state text, to_state text,
    stage text, outcome text, snapshot jsonb, effects jsonb, cum_days float8, clocks jsonb)`);
  for (const row of steps) {
    await db.query(
      `INSERT INTO bench_steps (path_id, seq, type, payload, role, from_state, to_state, stage, outcome, snapshot, effects, cum_days, clocks) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      row,
    );
  }
  await db.query(`UPDATE bench_steps SET idx = idx - 1; ANALYZE bench_steps`);
  const runner = db.createQueryRunner();
  await runner.connect();
  // A bulk load: no per-row foreign-key checks, search triggers or dirty-day marks.
  await runner.query(`SET session_replication_role = replica`);
  const totals = { cases: 0, events: 0, clocks: 0 };
  const started = Date.now();
  try {
    for (let first = 1; first <= CASES; first += CHUNK) {
      const last = Math.min(CASES, first + CHUNK - 1);
      const [row] = await runner.query(SEED_CHUNK_SQL, [
        first, last, steps.length, lookups.bodies, lookups.groups, lookups.caseworkers, lookups.compacts, LATEST_BREACH_CASE_VERSION,
      ]);
      totals.cases += row.cases;
      totals.events += row.events;
      totals.clocks += row.clocks;
      const rate = totals.cases / ((Date.now() - started) / 1000);
      step(`cases ${totals.cases.toLocaleString('en-GB')} / ${CASES.toLocaleString('en-GB')}, events ${totals.events.toLocaleString('en-GB')}, clocks ${totals.clocks.toLocaleString('en-GB')}, ${rate.toFixed(0)} cases/s`);
    }
  } finally {
    await runner.query(`SET session_replication_role = DEFAULT`);
    await runner.release();
  }
  return { ...totals, steps: steps.length, seconds: (Date.now() - started) / 1000 };
}

/**
 * Counts statements around the pg client's query (every pooled connection, TypeORM's and the
 * named prepared statements alike, goes through it): all of them, those that touch the cases
 * table at all, and among those the reads of one case's row by its id or reference (what the case
 * page should do once).
 */
class StatementCounter {
  counting = false;
  statements = 0;
  /** Statements touching cases, by their text's start, with whether each reads the case row. */
  readonly touchingCases = new Map<string, { n: number; caseRow: boolean }>();
  /** Every statement, by its text's start (what a page costs in round trips, table by table). */
  readonly all = new Map<string, number>();

  install(): void {
    const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
    const original = proto.query;
    const counter = this;
    proto.query = function (this: unknown, ...args: unknown[]) {
      if (!counter.counting) return original.apply(this, args);
      const shape = counter.saw(args[0]);
      // Pages are counted one after another, so each statement's round trip is its own time.
      const started = performance.now();
      const took = () => counter.took(shape, performance.now() - started);
      const last = args.length - 1;
      if (typeof args[last] === 'function') {
        const callback = args[last] as (...r: unknown[]) => unknown;
        args[last] = (...r: unknown[]) => (took(), callback(...r));
        return original.apply(this, args);
      }
      const result = original.apply(this, args) as { then?: (ok: () => void, no: () => void) => unknown } | undefined;
      result?.then?.(took, took);
      return result;
    };
  }

  /** Milliseconds spent waiting on each statement shape in the counted pages. */
  readonly millis = new Map<string, number>();

  took(shape: string, ms: number): void {
    this.millis.set(shape, (this.millis.get(shape) ?? 0) + ms);
  }

  private saw(config: unknown): string {
    const text = typeof config === 'string' ? config : ((config as { text?: string } | null)?.text ?? '');
    this.statements++;
    const shape = text.replace(/\s+/g, ' ').trim().slice(0, 150);
    this.all.set(shape, (this.all.get(shape) ?? 0) + 1);
    if (!/\b(FROM|JOIN)\s+"?cases\b"?/i.test(text)) return shape;
    const seen = this.touchingCases.get(shape) ?? { n: 0, caseRow: readsCaseRow(text) };
    seen.n++;
    this.touchingCases.set(shape, seen);
    return shape;
  }

  reset(): void {
    this.statements = 0;
    this.touchingCases.clear();
    this.all.clear();
    this.millis.clear();
  }

  total(which: 'caseRow' | 'touching'): number {
    return [...this.touchingCases.values()].filter((s) => which === 'touching' || s.caseRow).reduce((sum, s) => sum + s.n, 0);
  }
}

/**
 * Whether a statement reads the cases table itself (FROM cases, with or without an alias) for one
 * case by id or reference: `WHERE "CaseEntity"."id" = $1`, `WHERE c.id = $1`, `WHERE reference =
 * upper($1)`. A statement that reads another table and joins cases (a deadline with its case's
 * title) is not one.
 */
function readsCaseRow(text: string): boolean {
  const from = /\bFROM\s+"?cases\b"?(?:\s+(?:AS\s+)?(?!(?:WHERE|JOIN|LEFT|INNER|CROSS|ORDER|LIMIT|GROUP|FOR)\b)"?(\w+)"?)?/i.exec(text);
  if (!from) return false;
  const alias = from[1] ?? 'cases';
  const column = `(?:"?${alias}"?\\.|(?<![.\\w"]))"?(?:id|reference)"?`;
  return new RegExp(`\\bWHERE\\b[\\s\\S]*?${column}\\s*=\\s*(?:upper\\()?\\$\\d`, 'i').test(text.slice(from.index + from[0].length));
}

/** The built API (dist) in its own process(es), on a free port, once it answers its health check. */
async function startApiProcesses(databaseUrl: string, dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as AddressInfo;
      server.close(() => resolve(free));
    });
  });
  const child = spawn(process.execPath, [join(__dirname, '..', 'apps', 'api', 'src', 'main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      PORT: String(port),
      API_PROCESSES: String(API_PROCESSES),
      AUTH_SECRET: 'bench-'.repeat(8),
      SEED_DEMO_DATA: 'false',
      SEED_REGISTRY: 'false',
      QUEUE_PREFIX: `bench-pages-${process.pid}`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { child, base };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error('The API processes did not answer their health check within 30 s');
}

/** Signs in through the pages as a browser would and returns the Cookie header for the session. */
async function signInThroughPages(base: string, email: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const header of res.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (value === '' || /Expires=Thu, 01 Jan 1970/i.test(header)) cookies.delete(name);
      else cookies.set(name, value);
    }
  };
  const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const form = await fetch(`${base}/sign-in`);
  keep(form);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (form.status !== 200 || !csrf) throw new Error(`GET /sign-in: ${form.status}, CSRF token ${csrf ? 'found' : 'missing'}`);
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookieHeader() },
    body: new URLSearchParams({ _csrf: csrf, email, password: DEMO_PASSWORD }).toString(),
  });
  keep(res);
  const location = res.headers.get('location');
  if (res.status !== 303 || location !== '/triage') throw new Error(`POST /sign-in: ${res.status} to ${location}: ${(await res.text()).slice(0, 300)}`);
  return cookieHeader();
}

/** CPU time (ms) of processes since `from`: this one (API and client), and the database server's backends serving the pages. */
interface CpuSample {
  process: NodeJS.CpuUsage;
  /** Clock ticks used so far by each backend. */
  database: Map<number, number>;
}

/**
 * What a page costs in CPU, one request at a time: this process's CPU (the API, with the small
 * cost of the client asking) and the CPU of the PostgreSQL backends connected to the scratch
 * database, read from /proc. Unlike latency under load, CPU per page hardly moves when other work
 * shares the machine, so two builds can be compared on a busy one.
 */
class CpuMeter {
  private readonly client: Client;
  constructor(url: string) {
    this.client = new Client({ connectionString: url });
  }
  async open(): Promise<void> {
    await this.client.connect();
  }
  async close(): Promise<void> {
    await this.client.end();
  }
  private async backendTicks(): Promise<Map<number, number>> {
    const rows = (await this.client.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows as Array<{ pid: number }>;
    const ticks = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        // Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks (100 a second on Linux).
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        ticks.set(pid, Number(fields[11]) + Number(fields[12]));
      } catch {
        // a backend that ended meanwhile, or a server on another machine: not counted
      }
    }
    return ticks;
  }
  async sample(): Promise<CpuSample> {
    return { process: process.cpuUsage(), database: await this.backendTicks() };
  }
  async since(from: CpuSample, pages: number): Promise<{ api: number; database: number }> {
    const used = process.cpuUsage(from.process);
    // A backend that started meanwhile counts from nothing; one that ended is lost (the pool keeps its connections while busy).
    let ticks = 0;
    for (const [pid, now] of await this.backendTicks()) ticks += now - (from.database.get(pid) ?? 0);
    return { api: (used.user + used.system) / 1000 / pages, database: (ticks * 10) / pages };
  }
}

interface PageRow {
  name: string;
  result: PageLoadResult;
  pass: boolean;
}

async function main() {
  // The registry seed logs each Compact it loads; only the bench's own lines are wanted here.
  Logger.overrideLogger(['warn', 'error']);
  const counter = new StatementCounter();
  counter.install();
  step(`read audit ${process.env.READ_AUDIT === 'off' ? 'OFF (READ_AUDIT=off)' : 'on'}`);
  step(REUSE_DB ? `reusing the database ${new URL(REUSE_DB).pathname.slice(1)}` : `creating a scratch database on ${new URL(SERVER_URL).host} with the migrations`);
  const scratch = REUSE_DB ? { url: REUSE_DB, drop: async () => undefined } : await createScratchDatabase(SERVER_URL, 'benchpages');
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-bench-pages-'));
  let app: INestApplication | undefined;
  let api: { child: ChildProcess; base: string } | undefined;
  let failed = false;
  try {
    const db = new DataSource({ type: 'postgres', url: scratch.url });
    await db.initialize();
    if (!REUSE_DB) {
      step('seeding the demo data and registry');
      const demo = await seedDemoData(db);
      if (demo.users.caseworker.email !== CASEWORKER_EMAIL) throw new Error(`the demo caseworker is ${demo.users.caseworker.email}`);
      const lookups = await seedLookups(db, demo);
      step(`seeding ${CASES.toLocaleString('en-GB')} cases in chunks of ${CHUNK.toLocaleString('en-GB')} (${JSON.stringify(lookups)})`);
      const seeded = await seedCases(db, demo, lookups);
      step(`seeded ${seeded.cases.toLocaleString('en-GB')} cases at ${seeded.steps} places in the workflow, ${seeded.events.toLocaleString('en-GB')} events, ${seeded.clocks.toLocaleString('en-GB')} clocks in ${seeded.seconds.toFixed(0)} s; VACUUM ANALYZE`);
      await db.query(`VACUUM ANALYZE`);
    }
    const stages = (await db.query(`SELECT stage, count(*)::int AS n FROM cases GROUP BY stage ORDER BY stage`)) as Array<{ stage: string; n: number }>;
    step(`cases by stage: ${stages.map((s) => `${s.stage} ${s.n.toLocaleString('en-GB')}`).join(', ')}`);
    // Cases from every part of the workflow, in no order, so the case page is not one cached row.
    const caseIds = ((await db.query(`SELECT id FROM cases ORDER BY random() LIMIT 2000`)) as Array<{ id: string }>).map((r) => r.id);
    await db.destroy();

    step('starting the API in this process');
    const config = loadConfig({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATABASE_URL: scratch.url,
      DATA_DIR: dataDir,
      AUTH_SECRET: 'bench-'.repeat(8),
      SEED_DEMO_DATA: 'false',
      SEED_REGISTRY: 'false',
      QUEUE_PREFIX: `bench-pages-${process.pid}`,
    });
    app = await createApiApp(config);
    await app.listen(0, '127.0.0.1');
    const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const cookie = await signInThroughPages(base, CASEWORKER_EMAIL);
    step(`signed in through the pages as ${CASEWORKER_EMAIL}`);

    // Every page once, checked before any load: a page that is broken for these cases says so here.
    for (const path of [`/cases/${caseIds[0]}`, '/triage', '/cases']) {
      const res = await fetch(base + path, { headers: { cookie }, redirect: 'manual' });
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 300)}`);
    }

    step(`counting the statements of ${COUNTED_CASE_PAGES} case pages, one at a time`);
    counter.reset();
    counter.counting = true;
    for (const id of caseIds.slice(0, COUNTED_CASE_PAGES)) {
      const res = await fetch(`${base}/cases/${id}`, { headers: { cookie }, redirect: 'manual' });
      await res.text();
      if (res.status !== 200) throw new Error(`GET /cases/${id}: ${res.status}`);
    }
    counter.counting = false;

    // CPU per page, one request at a time, for each page (the database's backends are the pool's, which stay open).
    const meter = new CpuMeter(scratch.url);
    await meter.open();
    const cpu: Array<[string, { api: number; database: number }]> = [];
    // What a page weighs is part of what it costs: rendering it, and writing it to the socket.
    const kilobytes = new Map<string, number>();
    for (const [key, pathsOf] of [
      ['case', (i: number) => `/cases/${caseIds[(COUNTED_CASE_PAGES + i) % caseIds.length]}`],
      ['triage', () => '/triage'],
      ['list', () => '/cases'],
    ] as Array<[string, (i: number) => string]>) {
      if (ONLY && !ONLY.includes(key)) continue;
      const from = await meter.sample();
      let bytes = 0;
      for (let i = 0; i < CPU_PAGES; i++) {
        const res = await fetch(base + pathsOf(i), { headers: { cookie }, redirect: 'manual' });
        bytes += Buffer.byteLength(await res.text());
        if (res.status !== 200) throw new Error(`GET ${pathsOf(i)}: ${res.status}`);
      }
      kilobytes.set(key, bytes / CPU_PAGES / 1024);
      cpu.push([key, await meter.since(from, CPU_PAGES)]);
    }
    await meter.close();
    const caseReadsPerPage = counter.total('caseRow') / COUNTED_CASE_PAGES;
    const touchingPerPage = counter.total('touching') / COUNTED_CASE_PAGES;
    const statementsPerPage = counter.statements / COUNTED_CASE_PAGES;
    const shapes = [...counter.touchingCases.entries()].sort((a, b) => b[1].n - a[1].n);
    const allShapes = [...counter.all.entries()].sort((a, b) => b[1] - a[1]);

    const allPages: Array<[string, string[], string]> = [
      ['case page GET /cases/<id>', caseIds.map((id) => `/cases/${id}`), 'case'],
      ['triage queue GET /triage', ['/triage'], 'triage'],
      ['case list GET /cases', ['/cases'], 'list'],
    ];
    const pages = allPages.filter(([, , key]) => !ONLY || ONLY.includes(key));
    // The load goes to this process's API, or to the API run as it is deployed on a machine of
    // several cores (its own process, API_PROCESSES of them sharing the port): the statements were
    // counted above either way.
    let load = { base, cookie };
    if (API_PROCESSES > 1) {
      await app.close();
      app = undefined;
      step(`starting the API in its own process, API_PROCESSES=${API_PROCESSES}`);
      api = await startApiProcesses(scratch.url, dataDir);
      load = { base: api.base, cookie: await signInThroughPages(api.base, CASEWORKER_EMAIL) };
    }
    const rows: PageRow[] = [];
    for (const [name, paths] of pages) {
      step(`${name}: ${WARMUP_S} s warm-up, then ${DURATION_S} s with ${CONNECTIONS} clients`);
      const headers = { cookie: load.cookie };
      const warm = await loadPage({ base: load.base, paths, headers, connections: CONNECTIONS, durationSeconds: WARMUP_S });
      await settle();
      const result = await loadPage({ base: load.base, paths, headers, connections: CONNECTIONS, durationSeconds: DURATION_S });
      await settle();
      const notOk = warm.notOk + result.notOk + warm.errors + result.errors + warm.timeouts + result.timeouts;
      const pass = result.p99 < BAR_P99_MS && notOk === 0 && result.requests > 0;
      rows.push({ name, result: { ...result, notOk }, pass });
      step(
        `${name}: ${result.requests.toLocaleString('en-GB')} requests, ${result.perSecond.toFixed(0)}/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ` +
          `max ${result.max} ms, statuses ${JSON.stringify(result.statuses)}, errors ${result.errors}, timeouts ${result.timeouts} -> ${pass ? 'PASS' : 'FAIL'}`,
      );
    }

    const width = Math.max(...rows.map((r) => r.name.length));
    console.log(`\n${'page'.padEnd(width)}  requests   req/s   p50 ms   p90 ms   p99 ms   max ms  not 200  result`);
    for (const { name, result: r, pass } of rows) {
      console.log(
        `${name.padEnd(width)} ${String(r.requests).padStart(9)} ${r.perSecond.toFixed(0).padStart(7)} ${String(r.p50).padStart(8)} ${String(r.p90).padStart(8)} ` +
          `${String(r.p99).padStart(8)} ${String(r.max).padStart(8)} ${String(r.notOk).padStart(8)}  ${pass ? 'PASS' : 'FAIL'}`,
      );
    }
    const perPage = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
    console.log(`\nCPU per page, ${CPU_PAGES} pages one at a time (this process: the API and its client; the database: its backends for these pages):`);
    for (const [key, { api, database }] of cpu) {
      console.log(`  ${key.padEnd(6)}  this process ${api.toFixed(2).padStart(6)} ms   database ${database.toFixed(2).padStart(6)} ms   page ${(kilobytes.get(key) ?? 0).toFixed(0).padStart(4)} KB`);
    }
    console.log(`\ncase reads per case page: ${perPage(caseReadsPerPage)}`);
    console.log(`  (statements per case page: ${perPage(statementsPerPage)}; touching the cases table: ${perPage(touchingPerPage)}, per page:)`);
    for (const [shape, { n, caseRow }] of shapes) console.log(`  ${perPage(n / COUNTED_CASE_PAGES).padStart(5)} x ${caseRow ? 'case row  ' : 'joins cases'} ${shape}`);
    console.log(`  (every statement of a case page, per page, with its mean round trip, one page at a time:)`);
    for (const [shape, n] of allShapes) {
      const ms = (counter.millis.get(shape) ?? 0) / n;
      console.log(`  ${perPage(n / COUNTED_CASE_PAGES).padStart(5)} x ${ms.toFixed(2).padStart(6)} ms  ${shape}`);
    }
    const fast = !ONLY && rows.every((r) => r.pass);
    const oneRead = caseReadsPerPage === 1;
    failed = !fast || !oneRead;
    console.log(
      `\n${CASES.toLocaleString('en-GB')} cases, ${CONNECTIONS} clients, ${DURATION_S} s per page: every page's p99 under ${BAR_P99_MS} ms with only 200s: ` +
        `${fast ? 'PASS' : 'FAIL'}; the case page reads the case once: ${oneRead ? 'PASS' : `FAIL (${perPage(caseReadsPerPage)} times)`}; total time ${((Date.now() - began) / 1000).toFixed(0)} s`,
    );
  } finally {
    await app?.close();
    api?.child.kill('SIGTERM');
    if (process.env.KEEP_DB === '1' || REUSE_DB) step(`kept the database: ${scratch.url}`);
    else await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
