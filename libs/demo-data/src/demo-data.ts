import { DataSource } from 'typeorm';
import { runSql, sql } from '@cc/persistence';
import { hashPassword } from '@cc/identity';
import { seedRegistry } from '@cc/registry';

export const DEMO_PASSWORD = 'demo-password';

export interface DemoData {
  organisations: Record<'riversideFoodbank' | 'harboroughCarers' | 'harboroughCouncil' | 'leicestershireNhs' | 'leicestershirePolice', string>;
  compacts: Record<'national2010' | 'harborough2003', string>;
  users: Record<'reporter' | 'reporter2' | 'caseworker' | 'caseworker2' | 'mediator' | 'mediatorTied' | 'admin', { id: string; email: string }>;
  /** The public bodies' contacts (role respondent): they have no password and sign in by e-mailed link. */
  respondents: Record<DemoRespondentKey, { id: string; email: string; contactId: string; organisationId: string }>;
}

export type DemoRespondentKey = 'council' | 'council2' | 'nhs' | 'police';

const ORGANISATIONS = [
  ['riversideFoodbank', 'Riverside Community Foodbank', 'voluntary', null, 'Harborough'],
  ['harboroughCarers', 'Harborough Carers Support', 'voluntary', null, 'Harborough'],
  ['harboroughCouncil', 'Harborough District Council', 'public', 'council', 'Harborough'],
  ['leicestershireNhs', 'NHS Leicester, Leicestershire and Rutland ICB', 'public', 'nhs', 'Leicestershire'],
  ['leicestershirePolice', 'Leicestershire Police', 'public', 'police', 'Leicestershire'],
] as const;

const COMPACTS = [
  ['national2010', 'The Compact (2010)', 'national', null],
  ['harborough2003', 'Harborough District Compact (2003)', 'local', 'Harborough'],
] as const;

const USERS = [
  ['reporter', 'reporter@demo.compact.test', 'Rita Reporter', 'reporter', 'riversideFoodbank'],
  ['reporter2', 'carers@demo.compact.test', 'Colin Carer', 'reporter', 'harboroughCarers'],
  ['caseworker', 'caseworker@demo.compact.test', 'Cara Caseworker', 'caseworker', null],
  ['caseworker2', 'caseworker2@demo.compact.test', 'Kofi Caseworker', 'caseworker', null],
  ['mediator', 'mediator@demo.compact.test', 'Mina Mediator', 'mediator', null],
  ['mediatorTied', 'mediator2@demo.compact.test', 'Tom Tied-Mediator', 'mediator', null],
  ['admin', 'admin@demo.compact.test', 'Ada Administrator', 'administrator', null],
] as const;

const RESPONDENTS = [
  ['council', 'respondent@demo.compact.test', 'Priya Shah', 'Head of Commissioning', 'harboroughCouncil'],
  ['council2', 'council-liaison@demo.compact.test', 'Owen Price', 'Voluntary Sector Liaison Officer', 'harboroughCouncil'],
  ['nhs', 'nhs-partnerships@demo.compact.test', 'Grace Okafor', 'Head of Community Partnerships', 'leicestershireNhs'],
  ['police', 'police-partnerships@demo.compact.test', 'Dan Ellis', 'Partnerships Manager', 'leicestershirePolice'],
] as const;

/**
 * What `npm start` prints about the demo accounts: those with the demo password, then the public
 * bodies' contacts, who sign in by link (with no SMTP_URL the link is in an .eml file under the mail folder).
 */
export function demoAccountsText(demo: DemoData, mailFolder = './data/mail'): string {
  const withPassword = Object.values(demo.users).map((u) => `    ${u.email}`).join('\n');
  return [
    `Demo accounts (password "${DEMO_PASSWORD}"):`,
    withPassword,
    'Demo public body contact (no password: sign in with a link from http://localhost:3000/sign-in/link):',
    `    ${demo.respondents.council.email} (${RESPONDENTS[0][2]}, ${RESPONDENTS[0][3]}, Harborough District Council)`,
    `    With no SMTP_URL the link's e-mail is written as an .eml file under ${mailFolder}: open the newest one.`,
  ].join('\n');
}

/**
 * Demo organisations, Compacts and one account per role. Safe to run on every start: rows are
 * matched by name or e-mail and only missing ones are added.
 */
export async function seedDemoData(dataSource: DataSource): Promise<DemoData> {
  // The registry seed holds the Compacts and organisations the demo accounts and cases name.
  await seedRegistry(dataSource);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return dataSource.transaction(async (m) => {
    const organisations = {} as DemoData['organisations'];
    for (const [key, name, sector, bodyType, area] of ORGANISATIONS) {
      const [found] = await runSql<{ id: string }>(m, sql`SELECT id FROM organisations WHERE name = ${name}`);
      const [row] = found
        ? [found]
        : await runSql<{ id: string }>(m, sql`INSERT INTO organisations (name, sector, body_type, area) VALUES (${name}, ${sector}, ${bodyType}, ${area}) RETURNING id`);
      organisations[key] = row.id;
    }
    const compacts = {} as DemoData['compacts'];
    for (const [key, name, scope, area] of COMPACTS) {
      const [found] = await runSql<{ id: string }>(m, sql`SELECT id FROM compacts WHERE name = ${name}`);
      const [row] = found ? [found] : await runSql<{ id: string }>(m, sql`INSERT INTO compacts (name, scope, area) VALUES (${name}, ${scope}, ${area}) RETURNING id`);
      compacts[key] = row.id;
    }
    const users = {} as DemoData['users'];
    for (const [key, email, displayName, role, orgKey] of USERS) {
      const [found] = await runSql<{ id: string }>(m, sql`SELECT id FROM users WHERE lower(email) = lower(${email})`);
      const [row] = found
        ? [found]
        : await runSql<{ id: string }>(m, sql`INSERT INTO users (email, display_name, role, organisation_id, password_hash) VALUES (${email}, ${displayName}, ${role}, ${orgKey ? organisations[orgKey] : null}, ${passwordHash}) RETURNING id`);
      users[key] = { id: row.id, email };
    }
    // The second mediator sits on the council's advisory board, so may not mediate its disputes.
    await runSql(m, sql`INSERT INTO user_organisation_ties (user_id, organisation_id, nature) VALUES (${users.mediatorTied.id}, ${organisations.harboroughCouncil}, 'advisory board member') ON CONFLICT DO NOTHING`);
    // Each demo public body has one or two contacts, each with the account they sign in with by link ('!' matches no password).
    const respondents = {} as DemoData['respondents'];
    for (const [key, email, name, jobTitle, orgKey] of RESPONDENTS) {
      const organisationId = organisations[orgKey];
      const [found] = await runSql<{ id: string; contactId: string | null }>(m, sql`SELECT u.id, c.id AS "contactId" FROM users u LEFT JOIN respondent_contacts c ON c.user_id = u.id WHERE lower(u.email) = lower(${email})`);
      const userId = found
        ? found.id
        : (await runSql<{ id: string }>(m, sql`INSERT INTO users (email, display_name, role, organisation_id, password_hash) VALUES (${email}, ${name}, 'respondent', ${organisationId}, '!') RETURNING id`))[0].id;
      const contactId =
        found?.contactId ??
        (await runSql<{ id: string }>(m, sql`INSERT INTO respondent_contacts (organisation_id, user_id, name, email, job_title) VALUES (${organisationId}, ${userId}, ${name}, ${email}, ${jobTitle}) RETURNING id`))[0].id;
      respondents[key] = { id: userId, email, contactId, organisationId };
    }
    return { organisations, compacts, users, respondents };
  });
}
