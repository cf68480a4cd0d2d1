import { DataSource } from 'typeorm';
import { DemoData, seedDemoData } from '@cc/demo-data';
import { AppliedCase } from '@cc/cases';
import { CaseNotificationRequest, NotificationWriter } from '@cc/notifications';
import { runSql, sql } from '@cc/persistence';
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

  /** A respondent contact of a public body, with its account, as the registry keeps them (written directly here). */
  async function respondentContact(name: string, email: string, options: { organisationId?: string; active?: boolean; accountActive?: boolean } = {}) {
    const organisationId = options.organisationId ?? demo.organisations.harboroughCouncil;
    const [user] = await db.query(
      `INSERT INTO users (email, display_name, role, organisation_id, password_hash, active) VALUES ($1, $2, 'respondent', $3, '!', $4) RETURNING id`,
      [email, name, organisationId, options.accountActive ?? true],
    );
    const [contact] = await db.query(
      `INSERT INTO respondent_contacts (organisation_id, user_id, name, email, job_title, active) VALUES ($1, $2, $3, $4, 'Head of Commissioning', $5) RETURNING id`,
      [organisationId, user.id, name, email, options.active ?? true],
    );
    return { userId: user.id as string, contactId: contact.id as string };
  }
  const nameOnCase = (caseId: string, contactId: string) => db.query(`INSERT INTO case_contacts (case_id, contact_id) VALUES ($1, $2)`, [caseId, contactId]);
  const logContact = (caseId: string, seq: number, email: string) =>
    db.query(
      `INSERT INTO case_events (case_id, seq, type, payload, actor_role, to_state, occurred_at) VALUES ($1, $2, 'CONTACT_RESPONDENT', $3, 'caseworker', 'negotiation', now())`,
      [caseId, seq, JSON.stringify({ summary: 'Wrote', contactEmail: email })],
    );

  it("sends the public body's e-mails to the contacts named on the case, with their accounts, and not to the address last written to", async () => {
    const caseId = await newCase({ assigneeId: demo.users.caseworker.id });
    await logContact(caseId, 2, 'old.contact@harborough.gov.uk');
    const head = await respondentContact('Helen Head', 'helen.head@harborough.gov.uk');
    const deputy = await respondentContact('Dev Deputy', 'dev.deputy@harborough.gov.uk');
    const gone = await respondentContact('Gone Contact', 'gone@harborough.gov.uk', { active: false });
    const closed = await respondentContact('Closed Account', 'closed@harborough.gov.uk', { accountActive: false });
    const elsewhere = await respondentContact('Other Body', 'someone@leicestershire.police.uk', { organisationId: demo.organisations.leicestershirePolice });
    for (const c of [head, deputy, gone, closed, elsewhere]) await nameOnCase(caseId, c.contactId);
    const rows = await send({ caseId, audience: ['respondent', 'assignee'], template: 'feeQuoted' });
    expect(rows.map((r) => [r.recipient_email, r.recipient_name, r.recipient_role, r.recipient_user_id])).toEqual([
      ['caseworker@demo.compact.test', expect.any(String), 'caseworker', demo.users.caseworker.id],
      ['dev.deputy@harborough.gov.uk', 'Dev Deputy', 'respondent', deputy.userId],
      ['helen.head@harborough.gov.uk', 'Helen Head', 'respondent', head.userId],
    ]);
    // The person the event itself writes to by address is written to as well (once, as the account when it is one).
    const alsoNamed = await send({ caseId, audience: ['respondent'], template: 'respondentContacted', respondentContact: { email: 'HELEN.HEAD@harborough.gov.uk' } });
    expect(alsoNamed.map((r) => [r.recipient_email, r.recipient_user_id])).toEqual([
      ['dev.deputy@harborough.gov.uk', deputy.userId],
      ['helen.head@harborough.gov.uk', head.userId],
    ]);
    const extra = await send({ caseId, audience: ['respondent'], template: 'responseOverdue', respondentContact: { email: 'letters@harborough.gov.uk' } });
    expect(emails(extra)).toEqual(['dev.deputy@harborough.gov.uk', 'helen.head@harborough.gov.uk', 'letters@harborough.gov.uk']);
  });

  it('names the contacts of the event being written, whose case_contacts rows a sibling part of the same statement inserts', async () => {
    const caseId = await newCase({ assigneeId: demo.users.caseworker.id });
    const head = await respondentContact('Hana Head', 'hana.head@harborough.gov.uk');
    const nameThem = () => (applied: AppliedCase) =>
      sql`INSERT INTO case_contacts (case_id, contact_id) SELECT ${applied.col('id')}, ${head.contactId}::uuid FROM ${applied.rows} ON CONFLICT DO NOTHING RETURNING contact_id`;
    const run = (ids?: string[]) =>
      runSql<{ n: number }>(
        db.manager,
        AppliedCase.asStored(caseId).statement(
          [nameThem(), writer.insertFor({ template: 'respondentContacted', audience: ['respondent'], eventSeq: 2, respondentContactIds: ids })],
          (_, [, written]) => sql`SELECT count(*)::int AS n FROM ${written}`,
        ),
      );
    // Without the ids the INSERT cannot see the new row (PostgreSQL: sibling CTEs share one snapshot)...
    expect(await run()).toEqual([{ n: 0 }]);
    await db.query(`DELETE FROM case_contacts WHERE case_id = $1`, [caseId]);
    // ...with them, the contact is written to in the very statement that names them.
    expect(await run([head.contactId])).toEqual([{ n: 1 }]);
    const [row] = await db.query(`SELECT recipient_email, recipient_user_id FROM notifications WHERE case_id = $1`, [caseId]);
    expect(row).toEqual({ recipient_email: 'hana.head@harborough.gov.uk', recipient_user_id: head.userId });
    // A contact of another body is never written to, even if an event named it.
    const other = await respondentContact('Polly Police', 'polly@leicestershire.police.uk', { organisationId: demo.organisations.leicestershirePolice });
    expect(await send({ caseId, audience: ['respondent'], template: 'caseClosed', respondentContactIds: [other.contactId, 'not-a-uuid'] }).then(emails)).toEqual(['hana.head@harborough.gov.uk']);
  });

  it('keeps the name of a reporter who asked not to be named out of every e-mail to the public body', async () => {
    const caseId = await newCase({ assigneeId: demo.users.caseworker.id });
    await db.query(`UPDATE cases SET reporter_named = false WHERE id = $1`, [caseId]);
    const head = await respondentContact('Ian Head', 'ian.head@harborough.gov.uk');
    await nameOnCase(caseId, head.contactId);
    await logContact(caseId, 2, 'letters2@harborough.gov.uk');
    const rows = await send({ caseId, audience: ['reporter', 'respondent', 'assignee'], template: 'respondentContacted', respondentContact: { email: 'letters2@harborough.gov.uk' } });
    const byRole = (role: string) => rows.filter((r) => r.recipient_role === role);
    expect(byRole('respondent')).toHaveLength(2);
    for (const r of byRole('respondent')) {
      expect(r.data.reportingOrganisationName).toBeUndefined();
      expect(r.data).toMatchObject({ reporterNamed: false, reportingOrganisationArea: 'Harborough' });
      expect(JSON.stringify(r.data)).not.toContain('Riverside');
    }
    for (const r of [...byRole('reporter'), ...byRole('caseworker')]) {
      expect(r.data.reportingOrganisationName).toBe('Riverside Community Foodbank');
      expect(r.data.reporterNamed).toBeUndefined();
    }
  });

  it("gives a notice its clock's due time: as the change sets it, or as the clock runs", async () => {
    const caseId = await newCase({ assigneeId: demo.users.caseworker.id });
    const set = await send({ caseId, audience: ['assignee'], template: 'extensionGranted', clock: { kind: 'respondentReply', dueAt: '2027-01-29T17:00:00.000Z' } });
    expect(set[0].data).toMatchObject({ deadlineKind: 'respondentReply', dueAt: '2027-01-29T17:00:00.000Z' });
    const none = await send({ caseId, audience: ['assignee'], template: 'extensionRefused', clock: { kind: 'respondentReply' } });
    expect(none[0].data.dueAt).toBeUndefined();
    await db.query(`INSERT INTO deadlines (case_id, kind, status, started_at, due_at, started_by_seq) VALUES ($1, 'respondentReply', 'pending', now(), '2027-02-05T17:00:00Z', 1)`, [caseId]);
    const running = await send({ caseId, audience: ['assignee'], template: 'extensionRequested', clock: { kind: 'respondentReply' } });
    expect(running[0].data).toMatchObject({ deadlineKind: 'respondentReply', dueAt: '2027-02-05T17:00:00.000Z' });
  });
});
