import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CaseAccess, VisibleCase } from '@cc/cases';
import type { Caller } from '@cc/identity';
import { UsersDirectory } from '@cc/identity';
import { EvidenceView, toEvidenceView } from '../domain/evidence.dto';
import { EvidenceEntity } from '../domain/evidence.entity';

/** A case's evidence, oldest first, for anyone who may see the case. */
@Injectable()
export class ListEvidence {
  constructor(
    @InjectRepository(EvidenceEntity) private readonly evidence: Repository<EvidenceEntity>,
    private readonly access: CaseAccess,
    private readonly directory: UsersDirectory,
  ) {}

  async execute(caller: Caller, caseIdOrReference: string): Promise<EvidenceView[]> {
    return this.of(await this.access.visible(caller, caseIdOrReference));
  }

  /** The evidence of a case already loaded and checked. */
  async of({ row: c }: VisibleCase): Promise<EvidenceView[]> {
    const rows = await this.evidence.find({ where: { caseId: c.id }, order: { createdAt: 'ASC', id: 'ASC' } });
    const names = await this.directory.displayNames(rows.map((e) => e.uploadedBy));
    return rows.map((e) => toEvidenceView(e, names.get(e.uploadedBy) ?? '(unknown)'));
  }
}
