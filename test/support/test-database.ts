import { ScratchDatabase, createScratchDatabase } from '@cc/persistence';

/** The server the tests create their databases on (one per test file, dropped afterwards). */
export const SERVER_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestDatabase = ScratchDatabase;

/** `serverUrl`: another server than the shared one (a test's own cluster, which it may stop). */
export function createTestDatabase(label: string, serverUrl = SERVER_URL): Promise<TestDatabase> {
  return createScratchDatabase(serverUrl, label);
}
