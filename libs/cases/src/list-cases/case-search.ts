import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import { runPrepared, sql } from '@cc/persistence';
import type { Caller } from '@cc/identity';
import type { CaseEntity } from '../domain/case.entity';

/**
 * What a search box's text asks for. A case number typed on its own, in any of the ways people
 * write one ("00002", "2", "CB-2026-2", "cb 2026 00002"), is looked up by its number; anything
 * else is words, each of which must start a word somewhere in the case.
 */
export type CaseSearch =
  | { kind: 'reference'; number: string; year?: string }
  | { kind: 'year'; year: string }
  | { kind: 'words'; words: string[] };

const REFERENCE = /^(?:cb)?[\s\-/]*(\d{4})[\s\-/]+(\d{1,12})$/i;
const NUMBER = /^(?:cb[\s\-/]*)?(\d{1,12})$/i;
const YEAR = /^cb[\s\-/]*(\d{4})[\s\-/]*$/i;

export function parseCaseSearch(text: string): CaseSearch {
  const t = text.trim();
  const ref = REFERENCE.exec(t);
  // "2026 4" is a reference; "2026" alone is a case number (a year needs its prefix: "CB-2026").
  if (ref) return { kind: 'reference', year: ref[1], number: withoutLeadingZeros(ref[2]) };
  // With its prefix, four figures are the start of a reference ("CB-2026"), not a case number.
  const year = YEAR.exec(t);
  if (year) return { kind: 'year', year: year[1] };
  const num = NUMBER.exec(t);
  if (num) return { kind: 'reference', number: withoutLeadingZeros(num[1]) };
  // Split as the index does, on anything that is not a letter or a digit, so "o'brien", an
  // e-mail address or "Harborough-on-Sea" are words the index holds.
  const words = t.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0).slice(0, 12);
  return { kind: 'words', words };
}

function withoutLeadingZeros(digits: string): string {
  return digits.replace(/^0+/, '');
}

/**
 * Who may match on which fields (weights in `cases.search`, see the CaseSearch migration): staff
 * on everything; reporters and mediators not on the reporter's name and e-mail; respondents only on
 * the title and what happened.
 */
function weightsFor(caller: Caller): string {
  if (caller.role === 'caseworker' || caller.role === 'administrator') return '';
  // A respondent may not have been told who reported: not the organisations' names either (A).
  return caller.role === 'respondent' ? 'BC' : 'ABC';
}

/**
 * Narrows a query on cases (alias `c`) to a search by number; for words, gives the tsquery to
 * find them with (`findByWords`), or null when some word starts no word any case holds.
 */
export async function applyCaseSearch(
  manager: EntityManager,
  caller: Caller,
  q: SelectQueryBuilder<CaseEntity>,
  text: string,
): Promise<{ tsquery: string | null } | undefined> {
  const search = parseCaseSearch(text);
  switch (search.kind) {
    case 'reference':
      q.andWhere(`ltrim(substring(c.reference from '([0-9]+)$'), '0') = :refNumber`, { refNumber: search.number });
      if (search.year) q.andWhere(`c.reference LIKE :refYear`, { refYear: `CB-${search.year}-%` });
      return undefined;
    case 'year':
      // A reference's year is the (UTC) year it was filed, so the newest-first index starts there.
      q.andWhere(`c.reference LIKE :refYear`, { refYear: `CB-${search.year}-%` });
      q.andWhere(`c.submitted_at >= :yearFrom AND c.submitted_at < :yearTo`, {
        yearFrom: `${search.year}-01-01T00:00:00Z`,
        yearTo: `${Number(search.year) + 1}-01-01T00:00:00Z`,
      });
      return undefined;
    case 'words':
      return { tsquery: await wordsQuery(manager, search.words, weightsFor(caller)) };
  }
}

/** Words a prefix may stand for before it is searched as a prefix instead (a word of one or two letters). */
const MAX_EXPANSION = 50;

/**
 * Each word as the whole words it starts (looked up in case_search_words, stemmed for the title
 * and account, as typed for names): "harboro councils" becomes
 * ('harborough') & ('council' | 'councils' | 'councillor'). English stop words are left out,
 * as the stemmed index leaves them out, unless nothing else is left.
 */
async function wordsQuery(manager: EntityManager, words: string[], weights: string): Promise<string | null> {
  if (words.length === 0) return null;
  const limit = MAX_EXPANSION + 1;
  const rows = await runPrepared<{ plain: string; stem: string | null; starts: string[] }>(
    manager,
    sql`SELECT u.plain, u.stem,
               ARRAY(SELECT word FROM (
                 (SELECT word FROM case_search_words WHERE word >= u.plain COLLATE "C" AND word < (u.plain || chr(1114111)) COLLATE "C" ORDER BY word LIMIT ${limit})
                 UNION
                 (SELECT word FROM case_search_words
                   WHERE u.stem IS NOT NULL AND u.stem <> u.plain AND word >= u.stem COLLATE "C" AND word < (u.stem || chr(1114111)) COLLATE "C" ORDER BY word LIMIT ${limit})
               ) x) AS starts
          FROM (SELECT i, w AS plain, (ts_lexize('english_stem', w))[1] AS stem FROM unnest(${words}::text[]) WITH ORDINALITY AS t(w, i)) u
         ORDER BY u.i`,
  );
  const kept = rows.filter((r) => r.stem !== null);
  const terms = (kept.length ? kept : rows).map((r) => {
    if (r.starts.length > MAX_EXPANSION) return `(${lexeme(r.plain, `*${weights}`)}${r.stem && r.stem !== r.plain ? ` | ${lexeme(r.stem, `*${weights}`)}` : ''})`;
    return r.starts.length ? `(${r.starts.map((w) => lexeme(w, weights)).join(' | ')})` : null;
  });
  if (terms.some((t) => t === null)) return null;
  return terms.join(' & ');
}

function lexeme(word: string, suffix: string): string {
  const quoted = `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  return suffix ? `${quoted}:${suffix}` : quoted;
}

/** Rows looked at newest first before the search turns to the index of words instead. */
const WINDOW = 5000;

/**
 * The ids of the newest `take` cases the query (with its access scope, filters and cursor) and
 * the words match. Either of the two ways PostgreSQL can answer this is slow in one case: walking
 * the newest-first index is slow when few cases match (it reads to the end), and gathering every
 * match from the GIN index is slow when most cases do (it sorts them all). The planner's estimate
 * of how many match is too rough to choose between them, so both are tried in turn: first the
 * newest WINDOW cases are checked (enough when the words are common); if that finds too few, the
 * matches are few, and the GIN index gives them all to sort.
 */
export async function findByWords(manager: EntityManager, q: SelectQueryBuilder<CaseEntity>, tsquery: string, take: number): Promise<string[]> {
  const newest = q
    .clone()
    .select('c.id', 'id')
    .addSelect('c.submitted_at', 'submitted_at')
    .addSelect('c.search @@ CAST(:tsquery AS tsquery)', 'hit')
    .setParameter('tsquery', tsquery)
    .orderBy('c.submitted_at', 'DESC')
    .addOrderBy('c.id', 'DESC')
    .limit(WINDOW);
  const [windowSql, windowParams] = newest.getQueryAndParameters();
  const [first] = (await manager.query(
    `WITH w AS MATERIALIZED (${windowSql})
     SELECT (SELECT count(*) FROM w)::int AS scanned,
            ARRAY(SELECT id FROM w WHERE hit ORDER BY submitted_at DESC, id DESC LIMIT ${Number(take)}) AS ids`,
    windowParams,
  )) as Array<{ scanned: number; ids: string[] }>;
  if (first.ids.length >= take || first.scanned < WINDOW) return first.ids;

  const matching = q.clone().select('c.id', 'id').addSelect('c.submitted_at', 'submitted_at').andWhere('c.search @@ CAST(:tsquery AS tsquery)', { tsquery });
  const [sql, params] = matching.getQueryAndParameters();
  return manager.transaction(async (m) => {
    // Few cases match (the newest WINDOW held fewer than a page), so the GIN index is the way to
    // them, whatever the planner's estimate says.
    await m.query('SET LOCAL enable_seqscan = off');
    const rows = (await m.query(`WITH m AS MATERIALIZED (${sql}) SELECT id FROM m ORDER BY submitted_at DESC, id DESC LIMIT ${Number(take)}`, params)) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  });
}
