import { DataSource } from 'typeorm';
import { DemoData, seedDemoData } from '@cc/demo-data';
import { CaseNotificationRequest, NotificationWriter } from '@cc/notifications';
import { LATEST_BREACH_CASE_VERSION, workflowFor } from '@cc/workflows';
import { TestDatabase, createTestDatabase } from './support/test-database';

/**
 * Who an e-mail goes to is worked out by one SQL statement; these check each audience against real
 * PostgreSQL: the people named, nobody inactive, one e-mail per address, and only shared facts.
 */
describe('Outbox recipients (real PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  let demo: DemoData;
  const writer = new NotificationWriter();

  beforeAll(async () => {
    database = await createTestDatabase('recipients');
    db = new DataSource({ type: 'postgres', url: database.url, extra: { max: 2 } });
    await db.initialize();
    demo = await seedDemoData(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  let n = 0;
  async function newCase(people: { assigneeId?: string | null; mediatorId?: string | null } = {}): Promise<string> {
    const workflow = workflowFor(LATEST_BREACH_CASE_VERSION);
    const started = workflow.start({
      reportingOrganisationId: demo.organisations.riversideFoodbank,
      respondentOrganisationId: demo.organisations.harboroughCouncil,
      submittedAt: new Date().toISOString(),
    });
    const [row] = await db.query(
      `INSERT INTO cases (reference, machine_version, snapshot, state, stage, version, reporting_organisation_id, respondent_organisation_id,
         compact_id, commitments, reported_by, assignee_id, mediator_id, title, what_happened, happened_on, impact, desired_outcome, submitted_at, updated_at)
       VALUES ($1, $2, $3, 'negotiation', 'negotiation', 1, $4, $5, $6, ARRAY['6.1'], $7, $8, $9, 'Grant cut without notice', 'w', '2026-10-01', 'i', 'd', now(), now())
       RETURNING id`,
      [
        `CB-2026-8${String(++n).padStart(4, '0')}`,
        LATEST_BREACH_CASE_VERSION,
        JSON.stringify(started.snapshot),
        demo.organisations.riversideFoodbank,
        demo.organisations.harboroughCouncil,
        demo.compacts.national2010,
        demo.users.reporter.id,
        people.assigneeId ?? null,
        people.mediatorId ?? null,
      ],
    );
    return row.id;
  }

  async function send(request: Omit<CaseNotificationRequest, 'template'> & { template?: string }) {
    const template = request.template ?? 'caseAccepted';
    const written = await writer.write(db.manager, { ...request, template });
    const rows: Array<{ recipient_email: string; recipient_role: string; recipient_user_id: string | null; recipient_name: string; data: Record<string, unknown>; message_id: string; id: string }> =
      await db.query(`SELECT * FROM notifications WHERE case_id = $1 AND template = $2 ORDER BY recipient_email`, [request.caseId, template]);
    expect(rows).toHaveLength(written);
    return rows;
  }

  const emails = (rows: Array<{ recipient_email: string }>) => rows.map((r) => r.recipient_email);

  it('sends to the reporter, the assignee and the mediator named on the case, with the case facts', async () => {
    const caseId = await newCase({ assigneeId: demo.users.caseworker2.id, mediatorId: demo.users.mediator.id });
    const rows = await send({ caseId, audience: ['reporter', 'assignee', 'mediator'], eventSeq: 3, details: { summary: 'shared' } });
    expect(emails(rows)).toEqual(['caseworker2@demo.compact.test', 'mediator@demo.compact.test', 'reporter@demo.compact.test']);
    const reporter = rows.find((r) => r.recipient_role === 'reporter')!;
    expect(reporter.recipient_user_id).toBe(demo.users.reporter.id);
    expect(reporter.message_id).toBe(`<${reporter.id}@compact-cases>`);
    expect(reporter.data).toEqual({
      caseReference: expect.stringMatching(/^CB-2026-8/),
      caseTitle: 'Grant cut without notice',
      stateLabel: 'negotiation',
      respondentName: expect.stringContaining('Harborough'),
      reportingOrganisationName: expect.stringContaining('Riverside'),
      details: { summary: 'shared' },
    });
  });

  it('sends "staff" mail to the assignee once there is one, and to every active caseworker before', async () => {
    const unassigned = await newCase();
    expect(emails(await send({ caseId: unassigned, audience: ['staff'] }))).toEqual(['caseworker2@demo.compact.test', 'caseworker@demo.compact.test']);
    const assigned = await newCase({ assigneeId: demo.users.caseworker.id });
    expect(emails(await send({ caseId: assigned, audience: ['staff'] }))).toEqual(['caseworker@demo.compact.test']);
  });

  it('writes one e-mail per address when audiences overlap, and none to people who are no longer active', async () => {
    const caseId = await newCase({ assigneeId: demo.users.caseworker.id });
    await db.query(`UPDATE users SET active = false WHERE id = $1`, [demo.users.caseworker2.id]);
    try {
      const rows = await send({ caseId, audience: ['assignee', 'caseworkers', 'staff'] });
      expect(emails(rows)).toEqual(['caseworker@demo.compact.test']);
      expect(rows[0].recipient_role).toBe('caseworker');
    } finally {
      await db.query(`UPDATE users SET active = true WHERE id = $1`, [demo.users.caseworker2.id]);
    }
  });

  it('writes nothing for an assignee or mediator the case does not have yet', async () => {
    const caseId = await newCase();
    expect(await send({ caseId, audience: ['assignee', 'mediator'] })).toEqual([]);
  });

  it("sends to the public body's contact: the newest one in the log, or the one the event itself names", async () => {
    const caseId = await newCase({ assigneeId: demo.users.caseworker.id });
    expect(await send({ caseId, audience: ['respondent'] })).toEqual([]);
    for (const [seq, email] of [
      [2, 'old.contact@harborough.gov.uk'],
      [3, 'grants@harborough.gov.uk'],
    ] as const) {
      await db.query(
        `INSERT INTO case_events (case_id, seq, type, payload, actor_role, to_state, occurred_at)
         VALUES ($1, $2, 'CONTACT_RESPONDENT', $3, 'caseworker', 'negotiation', now())`,
        [caseId, seq, JSON.stringify({ summary: 'Wrote', contactEmail: email, contactName: seq === 3 ? 'Grants Team' : null })],
      );
    }
    const fromLog = await send({ caseId, audience: ['respondent'], template: 'responseOverdue' });
    expect(fromLog.map((r) => [r.recipient_email, r.recipient_name, r.recipient_role, r.recipient_user_id])).toEqual([
      ['grants@harborough.gov.uk', 'Grants Team', 'respondent', null],
    ]);
    const named = await send({ caseId, audience: ['respondent'], template: 'feeQuoted', respondentContact: { email: 'chief.exec@harborough.gov.uk' } });
    expect(named.map((r) => [r.recipient_email, r.recipient_name])).toEqual([['chief.exec@harborough.gov.uk', 'Harborough District Council']]);
  });

  it('writes a deadline notice once per recipient, however many times it is asked', async () => {
    const caseId = await newCase({ assigneeId: demo.users.caseworker.id });
    const [deadline] = await db.query(
      `INSERT INTO deadlines (case_id, kind, status, started_at, due_at, started_by_seq) VALUES ($1, 'negotiationReview', 'fired', now(), now(), 1) RETURNING id`,
      [caseId],
    );
    const request = {
      caseId,
      template: 'deadlineOverdue',
      audience: ['staff' as const],
      deadlineId: deadline.id,
      deadline: { kind: 'negotiationReview', dueAt: '2026-11-20T17:00:00.000Z' },
    };
    expect(await writer.write(db.manager, request)).toBe(1);
    expect(await writer.write(db.manager, request)).toBe(0);
    const [row] = await db.query(`SELECT data, deadline_id FROM notifications WHERE case_id = $1`, [caseId]);
    expect(row.deadline_id).toBe(deadline.id);
    expect(row.data).toMatchObject({ deadlineKind: 'negotiationReview', dueAt: '2026-11-20T17:00:00.000Z', details: {} });
  });
});
