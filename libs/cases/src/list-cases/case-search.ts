import type { EntityManager, SelectQueryBuilder } from 'typeorm';
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
 * on everything; reporters and mediators not on the reporter's name and e-mail.
 */
function weightsFor(caller: Caller): string {
  return caller.role === 'caseworker' || caller.role === 'administrator' ? '' : 'ABC';
}

/**
 * Narrows a query on cases (alias `c`) to a search. The words become a tsquery in a first, tiny
 * statement, so the list's own statement carries it as a constant the planner can estimate (it
 * then walks the newest-first index for a common word, and the GIN index for a rare one).
 */
export async function applyCaseSearch(manager: EntityManager, caller: Caller, q: SelectQueryBuilder<CaseEntity>, text: string): Promise<void> {
  const search = parseCaseSearch(text);
  switch (search.kind) {
    case 'reference':
      q.andWhere(`ltrim(substring(c.reference from '([0-9]+)$'), '0') = :refNumber`, { refNumber: search.number });
      if (search.year) q.andWhere(`c.reference LIKE :refYear`, { refYear: `CB-${search.year}-%` });
      return;
    case 'year':
      q.andWhere(`c.reference LIKE :refYear`, { refYear: `CB-${search.year}-%` });
      return;
    case 'words': {
      const tsquery = await wordsQuery(manager, search.words, weightsFor(caller));
      if (!tsquery) q.andWhere('false');
      else q.andWhere(`c.search @@ CAST(:tsquery AS tsquery)`, { tsquery });
    }
  }
}

/**
 * Each word as a prefix, stemmed (for the title and account) or not (for names), restricted to the
 * weights given: "harboro councils" becomes ('harboro':* | 'harboro':*) & ('council':* | 'councils':*).
 * English stop words are dropped as the stemmed index drops them, unless nothing else is left.
 */
async function wordsQuery(manager: EntityManager, words: string[], weights: string): Promise<string | null> {
  if (words.length === 0) return null;
  const [row] = (await manager.query(
    `WITH w AS (
       SELECT to_tsquery('english', t)::text AS stemmed, to_tsquery('simple', t)::text AS plain
         FROM unnest($1::text[]) AS word, LATERAL (SELECT quote_literal(word) || ':*' || $2 AS t) x
     )
     SELECT coalesce(
              (SELECT string_agg('(' || stemmed || ' | ' || plain || ')', ' & ') FROM w WHERE stemmed <> ''),
              (SELECT string_agg(plain, ' & ') FROM w WHERE plain <> '')) AS query`,
    [words, weights],
  )) as Array<{ query: string | null }>;
  return row?.query ?? null;
}
