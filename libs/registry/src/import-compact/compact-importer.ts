import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { runSql, sql } from '@cc/persistence';
import { Conflict, FieldError, ValidationFailed } from '@cc/common';
import type { CompactDefinition, OrganisationDefinition } from '../seed/registry-seed.types';
import { checkCompactDefinition } from './compact-definition';
import { placeCsvErrors, readCompactCsv } from './compact-csv';

export interface ImportedCompact {
  compactId: string;
  name: string;
  sections: number;
  commitments: number;
  rules: number;
  signatories: number;
}

/**
 * Writes a whole Compact in one transaction, after every check has passed: an import either
 * lands completely or leaves nothing behind. The seed goes through here too.
 */
@Injectable()
export class CompactImporter {
  private readonly logger = new Logger(CompactImporter.name);

  constructor(private readonly dataSource: DataSource) {}

  async importJson(input: unknown): Promise<ImportedCompact> {
    const { definition, errors } = checkCompactDefinition(input);
    if (!definition) throw new ValidationFailed(errors);
    return this.dataSource.transaction((m) => this.write(m, definition));
  }

  async importCsv(csv: string): Promise<ImportedCompact> {
    const read = readCompactCsv(csv);
    if (!read.definition || read.errors.length) throw new ValidationFailed(read.errors);
    const { definition, errors } = checkCompactDefinition(read.definition);
    if (!definition) throw new ValidationFailed(placeCsvErrors(errors, read));
    return this.dataSource.transaction((m) => this.write(m, definition));
  }

  /** Inside the caller's transaction; refuses a name already in use. */
  async write(m: EntityManager, d: CompactDefinition): Promise<ImportedCompact> {
    const [existing] = await runSql(m, sql`SELECT id FROM compacts WHERE lower(name) = lower(${d.name})`);
    if (existing) {
      throw new Conflict('COMPACT_EXISTS', `A Compact named "${d.name}" already exists. Edit it instead, or give the import another name.`, { compactId: existing.id });
    }
    const organisationIds = await this.organisationIds(m, [
      ...(d.signatories ?? []).map((s, i) => ({ name: s.organisation, field: `signatories.${i}.organisation` })),
      ...(d.leadContacts ?? []).flatMap((l, i) => (l.organisation ? [{ name: l.organisation, field: `leadContacts.${i}.organisation` }] : [])),
    ]);
    const [compact] = await runSql<{ id: string }>(m, sql`INSERT INTO compacts (name, scope, area, adopted_on, status, source_url, summary) VALUES (${d.name}, ${d.scope}, ${d.area ?? null}, ${d.adoptedOn ?? null}, ${d.status}, ${d.sourceUrl ?? null}, ${d.summary ?? null}) RETURNING id`);
    const sectionIds = new Map<string, string>();
    for (const [position, s] of d.sections.entries()) {
      const [row] = await runSql<{ id: string }>(m, sql`INSERT INTO compact_sections (compact_id, code, title, kind, position, wording) VALUES (${compact.id}, ${s.code}, ${s.title}, ${s.kind}, ${position}, ${s.wording}) RETURNING id`);
      sectionIds.set(s.code.toLowerCase(), row.id);
    }
    if (d.commitments.length) {
      await runSql(m, sql`INSERT INTO commitments (compact_id, section_id, reference, text, binds, wording, rule, position)
         SELECT ${compact.id}, c.section_id, c.reference, c.text, c.binds, c.wording, c.rule, c.position
           FROM jsonb_to_recordset(${JSON.stringify(
            d.commitments.map((c, position) => ({
              section_id: sectionIds.get(c.section.toLowerCase()),
              reference: c.reference,
              text: c.text,
              binds: c.binds,
              wording: c.wording,
              rule: c.rule ?? null,
              position,
            })),
          )}::jsonb) AS c(section_id uuid, reference text, text text, binds text, wording text, rule jsonb, position int)`);
    }
    for (const s of d.signatories ?? []) {
      await runSql(m, sql`INSERT INTO compact_signatories (compact_id, organisation_id, signed_on) VALUES (${compact.id}, ${organisationIds.get(s.organisation.toLowerCase())}, ${s.signedOn ?? null}) ON CONFLICT DO NOTHING`);
    }
    for (const l of d.leadContacts ?? []) {
      await runSql(m, sql`INSERT INTO compact_lead_contacts (compact_id, sector, name, email, phone, organisation_id) VALUES (${compact.id}, ${l.sector}, ${l.name}, ${l.email ?? null}, ${l.phone ?? null}, ${l.organisation ? organisationIds.get(l.organisation.toLowerCase()) : null})`);
    }
    const result: ImportedCompact = {
      compactId: compact.id,
      name: d.name,
      sections: d.sections.length,
      commitments: d.commitments.length,
      rules: d.commitments.filter((c) => c.rule).length,
      signatories: d.signatories?.length ?? 0,
    };
    this.logger.log(result, 'Compact imported');
    return result;
  }

  /** Adds the organisations that are not there yet (matched by name); returns how many were added. */
  async addMissingOrganisations(m: EntityManager, organisations: OrganisationDefinition[]): Promise<number> {
    const rows = await runSql(m, sql`INSERT INTO organisations (name, sector, body_type, area, charity_number, website)
       SELECT o.name, o.sector, o.body_type, o.area, o.charity_number, o.website
         FROM jsonb_to_recordset(${JSON.stringify(
          organisations.map((o) => ({
            name: o.name,
            sector: o.sector,
            body_type: o.sector === 'public' ? (o.bodyType ?? 'other') : null,
            area: o.area ?? null,
            charity_number: o.charityNumber ?? null,
            website: o.website ?? null,
          })),
        )}::jsonb) AS o(name text, sector text, body_type text, area text, charity_number text, website text)
        WHERE NOT EXISTS (SELECT 1 FROM organisations e WHERE lower(e.name) = lower(o.name))
       RETURNING id`);
    return rows.length;
  }

  private async organisationIds(m: EntityManager, wanted: Array<{ name: string; field: string }>): Promise<Map<string, string>> {
    if (wanted.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await runSql(m, sql`SELECT id, name FROM organisations WHERE lower(name) = ANY(${wanted.map((w) => w.name.toLowerCase())}::text[])`);
    const ids = new Map(rows.map((r) => [r.name.toLowerCase(), r.id]));
    const errors: FieldError[] = wanted
      .filter((w) => !ids.has(w.name.toLowerCase()))
      .map((w) => ({ field: w.field, reason: `names "${w.name}", which is not a known organisation; add it to the organisations first` }));
    if (errors.length) throw new ValidationFailed(errors);
    return ids;
  }
}
