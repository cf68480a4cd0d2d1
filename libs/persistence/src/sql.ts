import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { queryRows } from './query-rows';

/**
 * A piece of SQL with its values kept apart, so that pieces written by different modules can be
 * put into one statement (one round trip) without anyone numbering placeholders by hand.
 * Values become `$n` placeholders when the whole statement is rendered; never spliced into text.
 */
export class Sql {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly unknown[],
  ) {}

  /** The statement text with `$1..$n` placeholders, and its parameters in that order. */
  render(): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    const text = this.renderInto(values);
    return { text, values };
  }

  private renderInto(values: unknown[]): string {
    let text = this.strings[0];
    this.values.forEach((value, i) => {
      if (value instanceof Sql) text += value.renderInto(values);
      else {
        values.push(value);
        text += `$${values.length}`;
      }
      text += this.strings[i + 1];
    });
    return text;
  }
}

/** sql`SELECT * FROM cases WHERE id = ${id}`; an Sql value is nested as SQL, anything else is a parameter. */
export function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  return new Sql([...strings], values);
}

/** Trusted text (a name or keyword chosen by the code, never by a user) taken as SQL. */
export function rawSql(text: string): Sql {
  return new Sql([text], []);
}

/** The pieces one after another, with `separator` (trusted text) between them. */
export function joinSql(pieces: readonly Sql[], separator: string): Sql {
  if (pieces.length === 0) return rawSql('');
  const strings = ['', ...Array.from({ length: pieces.length - 1 }, () => separator), ''];
  return new Sql(strings, pieces);
}

/** Runs a statement built with `sql` and returns its rows (whatever the statement's kind). */
export async function runSql<T = Record<string, unknown>>(
  runner: { query(sql: string, params?: unknown[]): Promise<unknown> },
  statement: Sql,
): Promise<T[]> {
  const { text, values } = statement.render();
  return queryRows<T>(runner, text, values);
}

interface PreparableClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

/** Statement names by text: each distinct text is parsed and planned once per connection. */
const statementNames = new Map<string, string>();
const MAX_NAMED_STATEMENTS = 500;

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined) {
    // A text built from unbounded variety (it should not be) falls back to an unnamed statement
    // rather than filling every connection with prepared statements.
    if (statementNames.size >= MAX_NAMED_STATEMENTS) return undefined;
    name = `cc_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Runs a statement that the hot paths send again and again as a named prepared statement: the
 * server parses and plans it once per connection instead of on every call, which is most of its
 * work for a short statement. Inside a transaction it uses that transaction's connection.
 */
export async function runPrepared<T = Record<string, unknown>>(manager: EntityManager, statement: Sql): Promise<T[]> {
  const { text, values } = statement.render();
  return runPreparedText<T>(manager, text, values);
}

/**
 * runPrepared for a statement already rendered with `$n` placeholders (what a TypeORM query
 * builder's getQueryAndParameters() gives), for a hot read still built by one.
 */
export async function runPreparedText<T = Record<string, unknown>>(manager: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const name = statementName(text);
  if (!name) return queryRows<T>(manager, text, values);
  const queryRunner = manager.queryRunner;
  if (queryRunner) {
    const client = (await queryRunner.connect()) as PreparableClient;
    return (await client.query({ name, text, values })).rows as T[];
  }
  const pool = (manager.connection.driver as unknown as { master: PreparableClient }).master;
  return (await pool.query({ name, text, values })).rows as T[];
}
