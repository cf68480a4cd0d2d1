import { DataSource } from 'typeorm';
import { loadConfig } from '@cc/config';
import { runMigrations, startEmbeddedPostgres } from '@cc/persistence';
import { seedRegistry } from '@cc/registry';

/** `npm run seed:registry`: loads the seed Compacts and organisations that are not there yet. */
async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.embeddedDatabase ? await startEmbeddedPostgres(config.DATA_DIR) : undefined;
  const url = embedded?.url ?? config.DATABASE_URL!;
  await runMigrations(url, { useLock: !embedded });
  const dataSource = await new DataSource({ type: 'postgres', url, poolSize: 1 }).initialize();
  try {
    const result = await seedRegistry(dataSource);
    console.log(
      result.compactsAdded.length || result.organisationsAdded
        ? `Added ${result.organisationsAdded} organisation(s) and ${result.compactsAdded.length} Compact(s): ${result.compactsAdded.join('; ') || '-'}`
        : 'Nothing to add: the seed registry is already loaded.',
    );
  } finally {
    await dataSource.destroy();
    await embedded?.stop();
  }
}

main().catch((err) => {
  console.error(`Seeding the registry failed: ${err instanceof Error ? err.message : err}. Check DATABASE_URL, or run without it to use the embedded database.`);
  process.exit(1);
});
