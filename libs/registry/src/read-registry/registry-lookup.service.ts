import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
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
    return this.dataSource.query(
      `SELECT id, reference, text, rule FROM commitments WHERE compact_id = $1 AND lower(reference) = ANY($2::text[]) ORDER BY position`,
      [compactId, references.map((r) => r.trim().toLowerCase())],
    );
  }

  commitmentsByIds(ids: string[]): Promise<CommitmentForReport[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.query(`SELECT id, reference, text, rule FROM commitments WHERE id = ANY($1::uuid[]) ORDER BY position`, [ids]);
  }

  async hasSigned(compactId: string, organisationId: string): Promise<{ signed: boolean; anySignatories: boolean }> {
    const [row] = await this.dataSource.query(
      `SELECT EXISTS (SELECT 1 FROM compact_signatories WHERE compact_id = $1 AND organisation_id = $2) AS signed,
              EXISTS (SELECT 1 FROM compact_signatories WHERE compact_id = $1) AS "anySignatories"`,
      [compactId, organisationId],
    );
    return row;
  }

  async organisationNames(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter(Boolean))];
    if (unique.length === 0) return new Map();
    const rows = await this.organisations.findBy({ id: In(unique) });
    return new Map(rows.map((o) => [o.id, o.name]));
  }
}
