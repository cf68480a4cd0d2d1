import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { runSql, sql } from '@cc/persistence';
import { CompactImporter } from '../import-compact/compact-importer';
import { SEED_COMPACTS, SEED_ORGANISATIONS } from './registry-seed.data';

export interface RegistrySeedResult {
  organisationsAdded: number;
  compactsAdded: string[];
}

/**
 * Loads the seed registry: organisations first (Compacts name their signatories), then each
 * Compact not already present, through the same checks as an administrator's import. Safe to run
 * on every start and by `npm run seed:registry`: what exists is left as it is.
 */
export async function seedRegistry(dataSource: DataSource): Promise<RegistrySeedResult> {
  const importer = new CompactImporter(dataSource);
  const result = await dataSource.transaction(async (m) => {
    // One seeding at a time, so two processes starting together do not both add the same rows.
    await runSql(m, sql`SELECT pg_advisory_xact_lock(hashtext('cc:seed-registry'))`);
    const organisationsAdded = await importer.addMissingOrganisations(m, SEED_ORGANISATIONS);
    const compactsAdded: string[] = [];
    for (const compact of SEED_COMPACTS) {
      const [existing] = await runSql(m, sql`SELECT id FROM compacts WHERE lower(name) = lower(${compact.name})`);
      if (existing) continue;
      await importer.write(m, compact);
      compactsAdded.push(compact.name);
    }
    return { organisationsAdded, compactsAdded };
  });
  if (result.organisationsAdded || result.compactsAdded.length) new Logger('RegistrySeed').log(result, 'Registry seed loaded');
  return result;
}
