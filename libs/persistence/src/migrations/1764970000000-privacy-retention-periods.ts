import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The privacy notice's "How long we keep it" list came from the retention schedule's defaults, as
 * text: an administrator who changed the schedule left the notice telling people the old periods.
 * The default notice now says "[retention periods]" there instead, which the page fills from the
 * schedule each time it is shown. Only the untouched default list is replaced, on a notice no
 * administrator has edited: an edited notice is the programme's own words and stays as it is.
 */
export class PrivacyRetentionPeriods1764970000000 implements MigrationInterface {
  name = 'PrivacyRetentionPeriods1764970000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE site_pages SET body = replace(body, $1, $2), updated_at = now() WHERE slug = 'privacy' AND updated_by IS NULL AND position($1 in body) > 0`, [
      DEFAULT_PERIODS,
      MARKER,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE site_pages SET body = replace(body, $2, $1) WHERE slug = 'privacy' AND updated_by IS NULL AND position($2 in body) > 0`, [DEFAULT_PERIODS, MARKER]);
  }
}

const MARKER = '[retention periods]';

// Copied, not imported: the list as migration 1764960000000 wrote it.
const DEFAULT_PERIODS = `- cases: 6 years after the case is closed. Then the names, e-mail addresses, documents and anything written that could name a person are removed, and the case stays only as a number in the statistics
- documents added to a report that was never sent: 7 days
- records of signing in, and the record of who opened a case: 2 years
- the account of a reporter or a public body's contact not used for 1 year: it is closed and their name and e-mail address removed, unless they are on an open case
- e-mails sent to us that could not be matched to a case: 90 days`;
