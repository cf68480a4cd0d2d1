import { INestApplication, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FileReport, SendCaseEvent } from '@cc/cases';
import type { DemoData } from '@cc/demo-data';
import type { Caller } from '@cc/identity';

/**
 * A handful of cases at different stages, made through the real use cases (so every rule and the
 * event log apply), so the demo opens on something to look at. Only on an empty database.
 */
export async function seedDemoCases(app: INestApplication, demo: DemoData): Promise<void> {
  const [{ count }] = await app.get(DataSource).query(`SELECT count(*)::int AS count FROM cases`);
  if (count > 0) return;
  const file = app.get(FileReport);
  const send = app.get(SendCaseEvent);
  const reporter: Caller = { userId: demo.users.reporter.id, role: 'reporter', organisationId: demo.organisations.riversideFoodbank };
  const carers: Caller = { userId: demo.users.reporter2.id, role: 'reporter', organisationId: demo.organisations.harboroughCarers };
  const caseworker: Caller = { userId: demo.users.caseworker.id, role: 'caseworker', organisationId: null };
  const base = {
    compactId: demo.compacts.national2010,
    happenedOn: '2026-10-01',
    desiredOutcome: 'The notice period the Compact requires, and the decision paused until then.',
    evidence: 'Letter from the public body.',
  };

  await file.execute(reporter, {
    ...base,
    respondentId: demo.organisations.harboroughCouncil,
    commitments: ['4.5'],
    title: 'Foodbank grant ended with two weeks notice',
    whatHappened: 'The council wrote on 1 October to say our grant would end on 15 October.',
    impact: 'We closed the Tuesday session; 60 households a week lost support.',
    facts: { fundingNoticeGivenOn: '2026-10-01', fundingChangeEffectiveOn: '2026-10-15', fundingNoticeInWriting: true },
  });

  const consultation = await file.execute(carers, {
    ...base,
    respondentId: demo.organisations.leicestershireNhs,
    commitments: ['2.4'],
    title: 'Four-week consultation on respite care changes',
    whatHappened: 'The ICB consulted for four weeks over the summer holidays and gave no reason for the short period.',
    impact: 'Carers could not respond in time.',
    happenedOn: '2026-08-28',
    facts: { consultationOpenedOn: '2026-08-01', consultationClosedOn: '2026-08-29', shorterConsultationRationaleGiven: false },
  });
  await send.byPerson(caseworker, consultation.id, { type: 'ASSIGN', caseworkerId: demo.users.caseworker.id });
  await send.byPerson(caseworker, consultation.id, { type: 'ACCEPT', note: 'Clear case on the 12-week commitment.' });
  await send.byPerson(caseworker, consultation.id, { type: 'CONTACT_RESPONDENT', summary: 'Wrote to the ICB chief executive.' });

  const mediation = await file.execute(reporter, {
    ...base,
    respondentId: demo.organisations.leicestershirePolice,
    commitments: ['4.5'],
    title: 'Youth diversion contract cut mid-year',
    whatHappened: 'The force cut our contract value by half from 1 September without notice.',
    impact: 'Two youth workers made redundant.',
  });
  for (const event of [
    { type: 'ASSIGN', caseworkerId: demo.users.caseworker.id },
    { type: 'ACCEPT' },
    { type: 'CONTACT_RESPONDENT', summary: 'Letter to the head of partnerships.' },
    { type: 'RECORD_RESPONSE', summary: 'The force says budgets were cut nationally.' },
    { type: 'REFER_TO_MEDIATION', reason: 'Both sides willing to meet with a mediator.' },
    { type: 'QUOTE_FEE', amountPence: 60_000, reporterSharePercent: 20 },
  ]) {
    await send.byPerson(caseworker, mediation.id, event);
  }
  new Logger('Demo').log('Added demo cases at submitted, advocacy and mediation stages');
}
