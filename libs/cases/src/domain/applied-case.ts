import { Sql, joinSql, rawSql, sql } from '@cc/persistence';

/**
 * The case's columns that effects may read, by their names in code. Every way of building the
 * case after a change selects exactly these, so a write can rely on any of them whatever the
 * change was.
 */
const COLUMNS = {
  id: 'id',
  version: 'version',
  reference: 'reference',
  title: 'title',
  state: 'state',
  stage: 'stage',
  reportedBy: 'reported_by',
  assigneeId: 'assignee_id',
  mediatorId: 'mediator_id',
  compactId: 'compact_id',
  reportingOrganisationId: 'reporting_organisation_id',
  respondentOrganisationId: 'respondent_organisation_id',
} as const;

export type AppliedCaseColumn = keyof typeof COLUMNS;

/** The relation's name inside the statement; no other file spells it. */
const RELATION = 'applied';
/** The deadline claim's rows, when the change is a claim. */
const CLAIMED = 'claimed';

/** The columns as a select list, qualified by `table` when given. */
const columnList = (table?: string): Sql => rawSql(Object.values(COLUMNS).map((column) => (table ? `${table}.${column}` : column)).join(', '));

/** The deadline a change is about, for its notices: its kind (text) and when it was due (ISO text). */
export interface DeadlineFacts {
  kind: Sql;
  dueAt: Sql;
}

/** A deadline known beforehand, by value: `dueAt` is ISO. */
export interface KnownDeadline {
  kind: string;
  dueAt: string;
}

/**
 * A single data-modifying statement that is part of a change's own statement (a CTE). It reads
 * the case only through the `AppliedCase` it is given, and writes nothing when that holds no row.
 */
export type EffectWrite = (applied: AppliedCase) => Sql;

/**
 * The case as it is after a change, as one statement sees it: one row when the change applied,
 * none when it did not. A change and everything it causes are written in one statement (one round
 * trip, all or nothing) built by `statement`; the writes read the case through `col`, `rows` and
 * `exists`, and the facts about the change that are not the case's own (the deadline it is about)
 * through typed fields, so no library spells the relation or its columns.
 */
export class AppliedCase {
  protected constructor(
    /** CTEs the case row is read from, each followed by ', '. */
    private readonly before: Sql,
    /** The query (or UPDATE ... RETURNING) that gives the case row. */
    private readonly source: Sql,
    /** Set when the change is about a deadline. */
    readonly deadline?: DeadlineFacts,
  ) {}

  /** After a transition: `update` is an UPDATE of one case that names the version it read (no RETURNING). */
  static afterUpdate(update: Sql): AppliedCase {
    return new AppliedCase(rawSql(''), sql`${update}
     RETURNING ${columnList()}`);
  }

  /** A case inserted earlier in the same transaction, at its first version, for its first event. */
  static newCase(caseId: string): AppliedCase {
    return new AppliedCase(rawSql(''), sql`SELECT ${columnList()} FROM cases WHERE id = ${caseId} AND version = 1`);
  }

  /** A case as stored, for writes made on their own (no transition); `deadline` when they are about one. */
  static asStored(caseId: string, deadline?: KnownDeadline): AppliedCase {
    const facts = deadline ? { kind: sql`${deadline.kind}::text`, dueAt: sql`${deadline.dueAt}::text` } : undefined;
    return new AppliedCase(rawSql(''), sql`SELECT ${columnList()} FROM cases WHERE id = ${caseId}`, facts);
  }

  /**
   * The case of the deadline that `claim` claims. `claim` is an UPDATE of deadlines that changes at
   * most one row (no RETURNING: the statement returns what it needs); no row claimed, no case.
   */
  static afterDeadlineClaim(claim: Sql): ClaimedDeadlineCase {
    return new ClaimedDeadlineCase(claim);
  }

  /** A column of the case as it is after the change. */
  col(column: AppliedCaseColumn): Sql {
    return rawSql(`${RELATION}.${COLUMNS[column]}`);
  }

  /** The case to select FROM: one row when the change applied, none otherwise. */
  get rows(): Sql {
    return rawSql(RELATION);
  }

  /** True when the change applied: for a write that names its rows by value instead of joining the case. */
  get exists(): Sql {
    return sql`EXISTS (SELECT FROM ${rawSql(RELATION)})`;
  }

  /**
   * One statement: the case row, then each write in its own CTE, then `result`, which may read the
   * case and the rows each write returned (`written`, in the order of `writes`). All the writes see
   * the database as it was before the statement, so no two may change the same row.
   */
  statement(writes: readonly EffectWrite[], result: (applied: this, written: readonly Sql[]) => Sql): Sql {
    const written = writes.map((_, i) => rawSql(`write_${i + 1}`));
    const ctes = writes.map((write, i) => sql`, ${written[i]} AS (${write(this)})`);
    return sql`WITH ${this.before}${rawSql(RELATION)} AS (${this.source})${joinSql(ctes, '')} ${result(this, written)}`;
  }
}

/** The case of a claimed deadline, with the claimed row itself for the statement's result. */
export class ClaimedDeadlineCase extends AppliedCase {
  declare readonly deadline: DeadlineFacts;

  constructor(claim: Sql) {
    super(
      sql`${rawSql(CLAIMED)} AS (${claim}
                         RETURNING id, case_id, due_at, kind),
               `,
      sql`SELECT ${columnList('c')}, ${rawSql(CLAIMED)}.due_at AS deadline_due_at, ${rawSql(CLAIMED)}.kind AS deadline_kind
                             FROM cases c JOIN ${rawSql(CLAIMED)} ON c.id = ${rawSql(CLAIMED)}.case_id`,
      {
        kind: rawSql(`${RELATION}.deadline_kind`),
        dueAt: rawSql(`to_char(${RELATION}.deadline_due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`),
      },
    );
  }

  /** The claimed deadline's row (id, case_id, due_at, kind); none when the claim found nothing to claim. */
  get claimedDeadline(): Sql {
    return rawSql(CLAIMED);
  }
}
