import type { EntityManager } from 'typeorm';
import { runSql, sql } from '@cc/persistence';

/**
 * Tables and columns with personal data that come with issue 14 (letters, case records, the reply
 * text of inbound mail). Anonymisation and erasure cover them once they exist, so this library
 * works the same before and after they land; read once per process (migrations run at start).
 */
export interface PersonalDataTables {
  letters: boolean;
  caseRecords: boolean;
  inboundFromName: boolean;
  inboundReplyText: boolean;
}

export class PersonalDataTablesProbe {
  private found: Promise<PersonalDataTables> | undefined;

  of(m: Pick<EntityManager, 'query'>): Promise<PersonalDataTables> {
    this.found ??= runSql<PersonalDataTables>(
      m,
      sql`SELECT to_regclass('public.letters') IS NOT NULL AS letters, to_regclass('public.case_records') IS NOT NULL AS "caseRecords",
                 EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'inbound_mail' AND column_name = 'from_name') AS "inboundFromName",
                 EXISTS (SELECT FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'inbound_mail' AND column_name = 'reply_text') AS "inboundReplyText"`,
    ).then(([row]) => row);
    // A failed look is not remembered: the next call asks again.
    this.found.catch(() => (this.found = undefined));
    return this.found;
  }
}
