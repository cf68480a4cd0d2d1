import { ScratchDatabase, createScratchDatabase } from '@cc/persistence';

/** The server the tests create their databases on (one per test file, dropped afterwards). */
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDatabase = ScratchDatabase;

export function createTestDatabase(label: string): Promise<TestDatabase> {
  return createScratchDatabase(SERVER_URL, label);
}
