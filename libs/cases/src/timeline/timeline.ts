import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { Caller } from '@cc/identity';
import { runPrepared, sql } from '@cc/persistence';
import { CaseAccess, VisibleCase } from '../domain/case-access.service';
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

interface EventRow {
  seq: number;
  type: string;
  occurredAt: Date;
  actorRole: string;
  /** Null for the system, or an actor no longer among the users. */
  actorName: string | null;
  fromState: string | null;
  toState: string;
  payload: Record<string, unknown>;
}

/** The case's event log as the caller may see it, oldest first. */
@Injectable()
export class CaseTimeline {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CaseAccess,
  ) {}

  async execute(caller: Caller, idOrReference: string): Promise<TimelineEntry[]> {
    return this.of(await this.access.visible(caller, idOrReference));
  }

  /** The timeline of a case already loaded and checked. */
  async of({ caller, row: c }: VisibleCase): Promise<TimelineEntry[]> {
    // The actors' names in the same statement: one round trip for the whole log.
    const rows = await runPrepared<EventRow>(
      this.dataSource.manager,
      sql`SELECT e.seq, e.type, e.occurred_at AS "occurredAt", e.actor_role AS "actorRole", u.display_name AS "actorName",
                 e.from_state AS "fromState", e.to_state AS "toState", e.payload
            FROM case_events e LEFT JOIN users u ON u.id = e.actor_id
           WHERE e.case_id = ${c.id} ORDER BY e.seq`,
    );
    return rows.map((r) => ({
      seq: r.seq,
      type: r.type,
      at: r.occurredAt.toISOString(),
      actorRole: r.actorRole,
      actorName: r.actorName,
      fromState: r.fromState,
      toState: r.toState,
      details: visiblePayload(caller.role, r.type, r.payload),
    }));
  }
}
