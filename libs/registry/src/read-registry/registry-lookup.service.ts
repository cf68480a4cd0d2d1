import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { runSql, sql } from '@cc/persistence';
import { CompactEntity } from '../domain/compact.entity';
import { OrganisationEntity } from '../domain/organisation.entity';
import type { CommitmentRule } from '../rules/commitment-rule';

export interface CommitmentForReport {
  id: string;
  reference: string;
  text: string;
  rule: CommitmentRule | null;
}

/** Read-only lookups other modules need to check what a request names. */
@Injectable()
export class RegistryLookup {
  constructor(
    @InjectRepository(OrganisationEntity) private readonly organisations: Repository<OrganisationEntity>,
    @InjectRepository(CompactEntity) private readonly compacts: Repository<CompactEntity>,
    private readonly dataSource: DataSource,
  ) {}

  findOrganisation(id: string): Promise<OrganisationEntity | null> {
    return this.organisations.findOneBy({ id });
  }

  findCompact(id: string): Promise<CompactEntity | null> {
    return this.compacts.findOneBy({ id });
  }

  /** The Compact's commitments with these references (case-insensitive); unknown ones are simply absent. */
  commitmentsByReference(compactId: string, references: string[]): Promise<CommitmentForReport[]> {
    return runSql(this.dataSource, sql`SELECT id, reference, text, rule FROM commitments WHERE compact_id = ${compactId} AND lower(reference) = ANY(${references.map((r) => r.trim().toLowerCase())}::text[]) ORDER BY position`);
  }

  commitmentsByIds(ids: string[]): Promise<CommitmentForReport[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return runSql(this.dataSource, sql`SELECT id, reference, text, rule FROM commitments WHERE id = ANY(${ids}::uuid[]) ORDER BY position`);
  }

  async hasSigned(compactId: string, organisationId: string): Promise<{ signed: boolean; anySignatories: boolean }> {
    const [row] = await runSql<{ signed: boolean; anySignatories: boolean }>(this.dataSource, sql`SELECT EXISTS (SELECT 1 FROM compact_signatories WHERE compact_id = ${compactId} AND organisation_id = ${organisationId}) AS signed,
              EXISTS (SELECT 1 FROM compact_signatories WHERE compact_id = ${compactId}) AS "anySignatories"`);
    return row;
  }

  async organisationNames(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter(Boolean))];
    if (unique.length === 0) return new Map();
    const rows = await this.organisations.findBy({ id: In(unique) });
    return new Map(rows.map((o) => [o.id, o.name]));
  }
}
