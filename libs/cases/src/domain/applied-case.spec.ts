import { sql } from '@cc/persistence';
import { AppliedCase, EffectWrite } from './applied-case';

/** The statement's text on one line, so the checks read as the SQL does. */
function rendered(statement: ReturnType<AppliedCase['statement']>) {
  const { text, values } = statement.render();
  return { text: text.replace(/\s+/g, ' ').trim(), values };
}

const CASE_COLUMNS =
  'id, version, reference, title, state, stage, reported_by, assignee_id, mediator_id, compact_id, reporting_organisation_id, respondent_organisation_id';

describe('AppliedCase', () => {
  const noteWrite: EffectWrite = (applied) => sql`INSERT INTO notes (case_id, body) SELECT ${applied.col('id')}, ${'hello'} FROM ${applied.rows}`;
  const guardedWrite: EffectWrite = (applied) => sql`UPDATE clocks SET ended = true WHERE case_id = ${'c1'} AND ${applied.exists}`;

  it('gives effects typed columns of the case after the change, the relation to select from and whether the change applied', () => {
    const applied = AppliedCase.newCase('c1');
    expect(applied.col('assigneeId').render()).toEqual({ text: 'applied.assignee_id', values: [] });
    expect(applied.col('respondentOrganisationId').render().text).toBe('applied.respondent_organisation_id');
    expect(applied.rows.render().text).toBe('applied');
    expect(applied.exists.render().text).toBe('EXISTS (SELECT FROM applied)');
    expect(applied.deadline).toBeUndefined();
  });

  it('puts a transition, each write and the result in one statement, numbering the values in order', () => {
    const applied = AppliedCase.afterUpdate(sql`UPDATE cases SET state = ${'negotiation'} WHERE id = ${'c1'} AND version = ${4}`);
    const statement = applied.statement([noteWrite, guardedWrite], (c, written) => sql`SELECT ${c.col('version')}, (SELECT count(*) FROM ${written[0]}) FROM ${c.rows}`);
    expect(rendered(statement)).toEqual({
      text:
        `WITH applied AS (UPDATE cases SET state = $1 WHERE id = $2 AND version = $3 RETURNING ${CASE_COLUMNS}), ` +
        'write_1 AS (INSERT INTO notes (case_id, body) SELECT applied.id, $4 FROM applied), ' +
        'write_2 AS (UPDATE clocks SET ended = true WHERE case_id = $5 AND EXISTS (SELECT FROM applied)) ' +
        'SELECT applied.version, (SELECT count(*) FROM write_1) FROM applied',
      values: ['negotiation', 'c1', 4, 'hello', 'c1'],
    });
  });

  it('reads a new case at its first version, and a stored case for writes of its own', () => {
    expect(rendered(AppliedCase.newCase('c1').statement([], (c) => sql`SELECT ${c.col('id')} FROM ${c.rows}`))).toEqual({
      text: `WITH applied AS (SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1 AND version = 1) SELECT applied.id FROM applied`,
      values: ['c1'],
    });
    expect(rendered(AppliedCase.asStored('c2').statement([noteWrite], (_, [notes]) => sql`SELECT count(*)::int AS n FROM ${notes}`))).toEqual({
      text: `WITH applied AS (SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1), write_1 AS (INSERT INTO notes (case_id, body) SELECT applied.id, $2 FROM applied) SELECT count(*)::int AS n FROM write_1`,
      values: ['c2', 'hello'],
    });
  });

  it('carries a known deadline as typed facts, by value', () => {
    const applied = AppliedCase.asStored('c1', { kind: 'triage', dueAt: '2026-11-20T17:00:00.000Z' });
    const factsWrite: EffectWrite = (a) => sql`INSERT INTO facts SELECT ${a.col('id')}, ${a.deadline!.kind}, ${a.deadline!.dueAt} FROM ${a.rows}`;
    expect(rendered(applied.statement([factsWrite], () => sql`SELECT 1`))).toEqual({
      text: `WITH applied AS (SELECT ${CASE_COLUMNS} FROM cases WHERE id = $1), write_1 AS (INSERT INTO facts SELECT applied.id, $2::text, $3::text FROM applied) SELECT 1`,
      values: ['c1', 'triage', '2026-11-20T17:00:00.000Z'],
    });
  });

  it('reads the case of a claimed deadline, with the deadline as typed facts and the claimed row for the result', () => {
    const applied = AppliedCase.afterDeadlineClaim(sql`UPDATE deadlines SET status = 'fired' WHERE id = ${'d1'} AND status = 'pending'`);
    expect(applied.deadline.kind.render().text).toBe('applied.deadline_kind');
    expect(applied.deadline.dueAt.render().text).toBe(`to_char(applied.deadline_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
    const statement = applied.statement([noteWrite], (claimed) => sql`SELECT case_id FROM ${claimed.claimedDeadline}`);
    expect(rendered(statement)).toEqual({
      text:
        "WITH claimed AS (UPDATE deadlines SET status = 'fired' WHERE id = $1 AND status = 'pending' RETURNING id, case_id, due_at, kind), " +
        `applied AS (SELECT ${CASE_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ')}, claimed.due_at AS deadline_due_at, claimed.kind AS deadline_kind ` +
        'FROM cases c JOIN claimed ON c.id = claimed.case_id), ' +
        'write_1 AS (INSERT INTO notes (case_id, body) SELECT applied.id, $2 FROM applied) ' +
        'SELECT case_id FROM claimed',
      values: ['d1', 'hello'],
    });
    // A claim that writes nothing else is still the claim.
    expect(rendered(applied.statement([], (claimed) => sql`SELECT case_id FROM ${claimed.claimedDeadline}`)).text).toMatch(/^WITH claimed AS \(.*\), applied AS \(.*\) SELECT case_id FROM claimed$/);
  });
});
