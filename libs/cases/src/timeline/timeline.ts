import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { Caller } from '@cc/identity';
import { UsersDirectory } from '@cc/identity';
import { CaseAccess, VisibleCase } from '../domain/case-access.service';
import { CaseEventEntity } from '../domain/case-event.entity';
import { visiblePayload } from '../domain/visibility';

export class TimelineEntry {
  @ApiProperty() seq: number;
  @ApiProperty({ example: 'ACCEPT' }) type: string;
  @ApiProperty() at: string;
  @ApiProperty({ example: 'caseworker' }) actorRole: string;
  @ApiProperty({ nullable: true, type: String }) actorName: string | null;
  @ApiProperty({ nullable: true, type: String }) fromState: string | null;
  @ApiProperty() toState: string;
  @ApiProperty({ type: Object, description: 'The event details you may see' }) details: Record<string, unknown>;
}

/** The case's event log as the caller may see it, oldest first. */
@Injectable()
export class CaseTimeline {
  constructor(
    @InjectRepository(CaseEventEntity) private readonly events: Repository<CaseEventEntity>,
    private readonly access: CaseAccess,
    private readonly directory: UsersDirectory,
  ) {}

  async execute(caller: Caller, idOrReference: string): Promise<TimelineEntry[]> {
    return this.of(await this.access.visible(caller, idOrReference));
  }

  /** The timeline of a case already loaded and checked. */
  async of({ caller, row: c }: VisibleCase): Promise<TimelineEntry[]> {
    const rows = await this.events.find({ where: { caseId: c.id }, order: { seq: 'ASC' } });
    const names = await this.directory.displayNames(rows.map((r) => r.actorId ?? ''));
    return rows.map((r) => ({
      seq: r.seq,
      type: r.type,
      at: r.occurredAt.toISOString(),
      actorRole: r.actorRole,
      actorName: r.actorId ? (names.get(r.actorId) ?? null) : null,
      fromState: r.fromState,
      toState: r.toState,
      details: visiblePayload(caller.role, r.type, r.payload),
    }));
  }
}
