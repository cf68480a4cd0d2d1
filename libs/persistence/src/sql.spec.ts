import { Sql, joinSql, rawSql, sql } from './sql';

describe('sql', () => {
  it('numbers the values of nested pieces in the order they appear', () => {
    const kind = 'triage';
    const inner = sql`UPDATE deadlines SET status = ${'met'} WHERE kind = ${kind}`;
    const outer = sql`WITH a AS (SELECT ${1}::int AS n), b AS (${inner}) SELECT n + ${2} FROM a`;
    expect(outer.render()).toEqual({
      text: 'WITH a AS (SELECT $1::int AS n), b AS (UPDATE deadlines SET status = $2 WHERE kind = $3) SELECT n + $4 FROM a',
      values: [1, 'met', 'triage', 2],
    });
  });

  it('never puts a value into the text, however it looks', () => {
    const hostile = `'); DROP TABLE cases; --`;
    const { text, values } = sql`SELECT * FROM cases WHERE title = ${hostile}`.render();
    expect(text).toBe('SELECT * FROM cases WHERE title = $1');
    expect(values).toEqual([hostile]);
  });

  it('joins pieces with a separator and takes trusted names as text', () => {
    const pieces = ['a', 'b', 'c'].map((name, i) => sql`${rawSql(name)} AS (SELECT ${i})`);
    expect(joinSql(pieces, ', ').render()).toEqual({ text: 'a AS (SELECT $1), b AS (SELECT $2), c AS (SELECT $3)', values: [0, 1, 2] });
    expect(joinSql([], ', ').render()).toEqual({ text: '', values: [] });
    expect(joinSql([sql`x = ${5}`], ' AND ')).toBeInstanceOf(Sql);
    expect(joinSql([sql`x = ${5}`], ' AND ').render()).toEqual({ text: 'x = $1', values: [5] });
  });
});
