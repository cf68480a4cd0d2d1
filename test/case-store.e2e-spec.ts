import { DataSource } from 'typeorm';
import { CaseStore } from '@cc/cases';
import { DeadlineEffects, DeadlinePolicies } from '@cc/deadlines';
import { NotificationEffects, NotificationWriter } from '@cc/notifications';
import { DomainError } from '@cc/common';
import { seedDemoData } from '@cc/demo-data';
import { LATEST_BREACH_CASE_VERSION, workflowFor } from '@cc/workflows';
import { TestDatabase, createTestDatabase } from './support/test-database';

/**
 * The store's own guard, without the row lock the API takes: two writers that read the same
 * version cannot both apply, and a failed transition leaves nothing behind.
 */
describe('CaseStore version check (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let caseId: string;
  const workflow = workflowFor(LATEST_BREACH_CASE_VERSION);

  beforeAll(async () => {
    database = await createTestDatabase('store');
    db = new DataSource({ type: 'postgres', url: database.url, extra: { max: 4 } });
    await db.initialize();
    const demo = await seedDemoData(db);
    const started = workflow.start({
      reportingOrganisationId: demo.organisations.riversideFoodbank,
      respondentOrganisationId: demo.organisations.harboroughCouncil,
      submittedAt: new Date().toISOString(),
    });
    const [row] = await db.query(
      `INSERT INTO cases (reference, machine_version, snapshot, state, stage, version, reporting_organisation_id, respondent_organisation_id,
         compact_id, commitments, reported_by, title, what_happened, happened_on, impact, desired_outcome, submitted_at, updated_at)
       VALUES ('CB-2026-90001', $1, $2, $3, $4, 1, $5, $6, $7, ARRAY['6.1'], $8, 't', 'w', '2026-10-01', 'i', 'd', now(), now()) RETURNING id`,
      [
        workflow.version,
        JSON.stringify(started.snapshot),
        started.state,
        started.stage,
        demo.organisations.riversideFoodbank,
        demo.organisations.harboroughCouncil,
        demo.compacts.national2010,
        demo.users.reporter.id,
      ],
    );
    caseId = row.id;
    await db.query(
      `INSERT INTO case_events (case_id, seq, type, payload, actor_role, to_state, occurred_at) VALUES ($1, 1, 'SUBMITTED', '{}', 'reporter', 'submitted', now())`,
      [caseId],
    );
    ownerSnapshot = started.snapshot;
    caseworkerId = demo.users.caseworker.id;
    demoCompactId = demo.compacts.national2010;
    reportingOrganisationId = demo.organisations.riversideFoodbank;
    respondentOrganisationId = demo.organisations.harboroughCouncil;
    reporterId = demo.users.reporter.id;
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  let ownerSnapshot: unknown;
  let caseworkerId: string;
  let demoCompactId: string;
  let reportingOrganisationId: string;
  let respondentOrganisationId: string;
  let reporterId: string;

  it('lets exactly one of two writers of the same version win', async () => {
    const at = new Date().toISOString();
    const decision = workflow.decide(ownerSnapshot, { type: 'ASSIGN', caseworkerId, at });
    if (!decision.ok) throw new Error('ASSIGN should be allowed');
    const store = new CaseStore(db);
    const write = () =>
      db.transaction((m) =>
        store.writeTransition(
          m,
          { id: caseId, reference: 'CB-2026-90001', compactId: '', fromState: 'submitted', expectedVersion: 1 },
          decision,
          { type: 'ASSIGN', payload: { caseworkerId }, actorId: caseworkerId, actorRole: 'caseworker', at },
        ),
      );
    const results = await Promise.allSettled([write(), write()]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0].reason).toBeInstanceOf(DomainError);
    expect(lost[0].reason.code).toBe('CONCURRENT_MODIFICATION');
    const [{ version }] = await db.query(`SELECT version FROM cases WHERE id = $1`, [caseId]);
    expect(version).toBe(2);
    const events = await db.query(`SELECT seq FROM case_events WHERE case_id = $1 ORDER BY seq`, [caseId]);
    expect(events.map((e: { seq: number }) => e.seq)).toEqual([1, 2]);
  });

  it('keeps the event log append-only', async () => {
    await expect(db.query(`UPDATE case_events SET type = 'FORGED' WHERE case_id = $1`, [caseId])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM case_events WHERE case_id = $1`, [caseId])).rejects.toThrow(/append-only/);
  });

  it('rolls back the case row when the event cannot be written', async () => {
    const at = new Date().toISOString();
    const [{ snapshot, version }] = await db.query(`SELECT snapshot, version FROM cases WHERE id = $1`, [caseId]);
    const decision = workflow.decide(snapshot, { type: 'ACCEPT', at });
    if (!decision.ok) throw new Error('ACCEPT should be allowed');
    const store = new CaseStore(db);
    // A step after the update and the event fails (as a deadline or outbox write might).
    await expect(
      db.transaction(async (m) => {
        await store.writeTransition(
          m,
          { id: caseId, reference: 'CB-2026-90001', compactId: '', fromState: 'triage.reviewing', expectedVersion: version },
          decision,
          { type: 'ACCEPT', payload: {}, actorId: null, actorRole: 'caseworker', at },
        );
        throw new Error('a later step of the transition failed');
      }),
    ).rejects.toThrow('a later step');
    const [after] = await db.query(`SELECT version, state FROM cases WHERE id = $1`, [caseId]);
    expect(after).toEqual({ version, state: 'triage.reviewing' });
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM case_events WHERE case_id = $1`, [caseId]);
    expect(count).toBe(version);
  });

  it('writes the effects of the winner only: one clock restart and one set of e-mails', async () => {
    const [{ snapshot, version, state }] = await db.query(`SELECT snapshot, version, state FROM cases WHERE id = $1`, [caseId]);
    const at = new Date().toISOString();
    const decision = workflow.decide(snapshot, { type: 'ACCEPT', at });
    if (!decision.ok) throw new Error('ACCEPT should be allowed');
    expect(decision.effects.map((e) => e.type)).toEqual(expect.arrayContaining(['endDeadline', 'notify']));
    const [triage] = await db.query(
      `INSERT INTO deadlines (case_id, kind, status, started_at, due_at, started_by_seq) VALUES ($1, 'triage', 'pending', now(), now() + interval '5 days', 1) RETURNING id`,
      [caseId],
    );
    const store = new CaseStore(db, [new DeadlineEffects(new DeadlinePolicies(db)), new NotificationEffects(new NotificationWriter())]);
    const write = () =>
      store.commit(
        { id: caseId, reference: 'CB-2026-90001', compactId: demoCompactId, fromState: state, expectedVersion: version },
        decision,
        { type: 'ACCEPT', payload: {}, actorId: caseworkerId, actorRole: 'caseworker', at },
      );
    const results = await Promise.allSettled([write(), write(), write()]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [ended] = await db.query(`SELECT status, ended_at FROM deadlines WHERE id = $1`, [triage.id]);
    expect(ended.status).toBe('met');
    expect(ended.ended_at).toEqual(new Date(at));
    const deadlines = await db.query(`SELECT kind FROM deadlines WHERE case_id = $1 AND started_by_seq = $2`, [caseId, version + 1]);
    expect(deadlines).toHaveLength(decision.effects.filter((e) => e.type === 'startDeadline').length);
    const mails = await db.query(`SELECT template, recipient_email FROM notifications WHERE case_id = $1 AND event_seq = $2`, [caseId, version + 1]);
    const expectedTemplates = decision.effects.flatMap((e) => (e.type === 'notify' ? [e.template] : []));
    expect([...new Set(mails.map((m: { template: string }) => m.template))].sort()).toEqual([...new Set(expectedTemplates)].sort());
    const perRecipient = new Set(mails.map((m: { template: string; recipient_email: string }) => `${m.template}:${m.recipient_email}`));
    expect(perRecipient.size).toBe(mails.length);
  });
  it('files a case on a pool of one connection: planning the effects reads inside the transaction it is given', async () => {
    // The embedded database allows one connection; a plan that asked the pool for a second one
    // while the transaction held the first would wait for ever.
    const single = new DataSource({ type: 'postgres', url: database.url, extra: { max: 1 } });
    await single.initialize();
    try {
      const store = new CaseStore(single, [new DeadlineEffects(new DeadlinePolicies(single)), new NotificationEffects(new NotificationWriter())]);
      const at = new Date().toISOString();
      const started = workflow.start({ reportingOrganisationId: reportingOrganisationId, respondentOrganisationId: respondentOrganisationId, submittedAt: at });
      expect(started.effects.map((e) => e.type)).toEqual(expect.arrayContaining(['startDeadline', 'notify']));
      const newCaseId = await single.transaction(async (m) => {
        const [row] = await m.query(
          `INSERT INTO cases (reference, machine_version, snapshot, state, stage, version, reporting_organisation_id, respondent_organisation_id,
             compact_id, commitments, reported_by, title, what_happened, happened_on, impact, desired_outcome, submitted_at, updated_at)
           VALUES ('CB-2026-90002', $1, $2, $3, $4, 1, $5, $6, $7, ARRAY['6.1'], $8, 't', 'w', '2026-10-01', 'i', 'd', now(), now()) RETURNING id`,
          [workflow.version, JSON.stringify(started.snapshot), started.state, started.stage, reportingOrganisationId, respondentOrganisationId, demoCompactId, reporterId],
        );
        await store.writeFirstEvent(m, { id: row.id, reference: 'CB-2026-90002', compactId: demoCompactId }, started, {
          type: 'SUBMITTED',
          payload: {},
          actorId: reporterId,
          actorRole: 'reporter',
          at,
        });
        return row.id as string;
      });
      const [{ deadlines, mails, events }] = await db.query(
        `SELECT (SELECT count(*) FROM deadlines WHERE case_id = $1)::int AS deadlines, (SELECT count(*) FROM notifications WHERE case_id = $1)::int AS mails,
                (SELECT count(*) FROM case_events WHERE case_id = $1)::int AS events`,
        [newCaseId],
      );
      expect({ deadlines, events }).toEqual({ deadlines: started.effects.filter((e) => e.type === 'startDeadline').length, events: 1 });
      expect(mails).toBeGreaterThan(0);
    } finally {
      await single.destroy();
    }
  }, 15_000);
});
