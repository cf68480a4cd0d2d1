import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { CompactEntity } from './compact.entity';
import { OrganisationEntity } from './organisation.entity';

/** Read-only lookups other modules need to check what a request names. */
@Injectable()
export class RegistryLookup {
  constructor(
    @InjectRepository(OrganisationEntity) private readonly organisations: Repository<OrganisationEntity>,
    @InjectRepository(CompactEntity) private readonly compacts: Repository<CompactEntity>,
  ) {}

  findOrganisation(id: string): Promise<OrganisationEntity | null> {
    return this.organisations.findOneBy({ id });
  }

  findCompact(id: string): Promise<CompactEntity | null> {
    return this.compacts.findOneBy({ id });
  }

  async organisationNames(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter(Boolean))];
    if (unique.length === 0) return new Map();
    const rows = await this.organisations.findBy({ id: In(unique) });
    return new Map(rows.map((o) => [o.id, o.name]));
  }
}
