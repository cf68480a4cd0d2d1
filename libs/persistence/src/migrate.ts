import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations';

/**
 * Applies pending migrations. Several processes may start at once against one database, so a
 * PostgreSQL advisory lock makes them take turns; the ones that come later find nothing to do.
 */
export async function runMigrations(url: string, options: { useLock: boolean } = { useLock: true }): Promise<string[]> {
  const dataSource = new DataSource({ type: 'postgres', url, migrations: MIGRATIONS, migrationsTransactionMode: 'each', extra: { max: options.useLock ? 2 : 1 } });
  await dataSource.initialize();
  const lockRunner = dataSource.createQueryRunner();
  try {
    if (options.useLock) await lockRunner.query(`SELECT pg_advisory_lock(hashtext('compact-cases:migrations'))`);
    const applied = await dataSource.runMigrations();
    return applied.map((m) => m.name);
  } finally {
    if (options.useLock) await lockRunner.query(`SELECT pg_advisory_unlock(hashtext('compact-cases:migrations'))`).catch(() => undefined);
    await lockRunner.release();
    await dataSource.destroy();
  }
}
