import { loadConfig } from '@cc/config';
import { runMigrations, startEmbeddedPostgres } from '@cc/persistence';

/** `npm run migrate`: applies pending migrations to DATABASE_URL, or to the embedded database. */
async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.embeddedDatabase ? await startEmbeddedPostgres(config.DATA_DIR) : undefined;
  try {
    const applied = await runMigrations(embedded?.url ?? config.DATABASE_URL!, { useLock: !embedded });
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply: the schema is up to date.');
  } finally {
    await embedded?.stop();
  }
}

main().catch((err) => {
  console.error(`Migration failed: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
