import { Injectable } from '@nestjs/common';
import { RETENTION_WORDS, RetentionPeriod, RetentionSchedule, periodWords } from '@cc/data-protection';
import { Block, readSiteText } from './site-text';

/** One period of the schedule as the privacy notice says it. */
function periodLine(p: RetentionPeriod): string {
  const words = RETENTION_WORDS[p.kind];
  return `${words.what}: kept ${periodWords(p.count, p.unit)} ${words.after}. ${words.action}`;
}

/**
 * The blocks of an editable page's text, with what the text asks to be filled in from the service
 * itself: the retention schedule's periods where it says "[retention periods]", read when the page
 * is shown, so an administrator changing a period changes the privacy notice with it.
 */
@Injectable()
export class SiteTextBlocks {
  constructor(private readonly schedule: RetentionSchedule) {}

  async of(body: string): Promise<Block[]> {
    const blocks = readSiteText(body);
    if (!blocks.some((b) => b.kind === 'retentionPeriods')) return blocks;
    const items = (await this.schedule.list()).map((p) => [{ text: periodLine(p) }]);
    return blocks.map((b) => (b.kind === 'retentionPeriods' ? { kind: 'list', items } : b));
  }
}
