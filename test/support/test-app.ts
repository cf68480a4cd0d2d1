import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppConfig, loadConfig } from '@cc/config';
import { createApiApp } from '@cc/api';
import { DEMO_PASSWORD, DemoData, seedDemoData } from '@cc/demo-data';
import { TestDatabase, createTestDatabase } from './test-database';
import { TestAuthenticator, giveAuthenticator, nextCode } from './second-factor';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  db: DataSource;
  demo: DemoData;
  database: TestDatabase;
  /** Bearer tokens of the demo accounts, by key. */
  tokens: Record<keyof DemoData['users'], string>;
  /** The authenticators of accounts with two-factor sign-in (administrators must have it), by user id. */
  authenticators: Map<string, TestAuthenticator>;
  close(): Promise<void>;
}

/** The real API on a fresh database with the real migrations and the demo accounts. */
export async function startTestApp(label: string, overrides: Partial<AppConfig> = {}, serverUrl?: string): Promise<TestApp> {
  const database = await createTestDatabase(label, serverUrl);
  // Files the app writes (evidence, e-mails) go to a folder of this test's own, removed at the end.
  const dataDir = mkdtempSync(join(tmpdir(), `cc-test-${label}-`));
  const config: AppConfig = {
    ...loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: database.url, DATA_DIR: dataDir }),
    ...overrides,
  };
  const app = await createApiApp(config);
  const db = app.get(DataSource);
  const demo = await seedDemoData(db);
  const http = request(app.getHttpServer());
  const tokens = {} as TestApp['tokens'];
  // Administrators must sign in with a second factor: the demo administrator has an authenticator.
  const authenticators = new Map([[demo.users.admin.id, await giveAuthenticator(app, demo.users.admin.id)]]);
  for (const [key, user] of Object.entries(demo.users)) {
    const res = await http.post('/api/auth/login').send({ email: user.email, password: DEMO_PASSWORD }).expect(200);
    let token: string = res.body.token;
    if (res.body.step === 'second-factor') {
      const code = await nextCode(db, authenticators.get(user.id)!);
      token = (await http.post('/api/auth/login/two-factor').set('Authorization', `Bearer ${token}`).send({ code }).expect(200)).body.token;
    }
    tokens[key as keyof DemoData['users']] = token;
  }
  return {
    app,
    http,
    db,
    demo,
    database,
    tokens,
    authenticators,
    async close() {
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A valid breach report against the demo council under the national Compact. */
export function sampleReport(demo: DemoData, overrides: Record<string, unknown> = {}) {
  return {
    respondentId: demo.organisations.harboroughCouncil,
    compactId: demo.compacts.national2010,
    commitments: ['4.5'],
    title: 'Grant ended with two weeks notice',
    whatHappened: 'The council told us on 1 October that our grant would end on 15 October.',
    happenedOn: '2026-10-01',
    impact: 'We had to close the Tuesday food bank session.',
    desiredOutcome: 'Three months notice as the Compact requires, and the grant restored until then.',
    evidence: 'Letter from the council dated 1 October 2026.',
    ...overrides,
  };
}
