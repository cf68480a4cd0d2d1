import { ReadLog, openingSentence } from '@cc/audit';

/** What the reporter's case page says about staff reads: a sentence a day and role, newest first. */
export async function staffOpeningsOf(log: ReadLog, caseId: string): Promise<Array<{ sentence: string }>> {
  return (await log.staffOpenings(caseId)).map((o) => ({ sentence: openingSentence(o.role, o.day) }));
}
