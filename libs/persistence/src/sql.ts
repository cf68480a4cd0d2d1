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
  const result = (await runner.query(text, values)) as unknown[];
  if (result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}
