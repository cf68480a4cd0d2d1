import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One accepted event. Rows are only ever inserted (a database trigger refuses changes). */
@Entity('case_events')
export class CaseEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'case_id' }) caseId: string;
  @Column('int') seq: number;
  @Column('text') type: string;
  @Column('jsonb') payload: Record<string, unknown>;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text', { name: 'actor_role' }) actorRole: string;
  @Column('text', { name: 'from_state', nullable: true }) fromState: string | null;
  @Column('text', { name: 'to_state' }) toState: string;
  @Column('jsonb') effects: unknown[];
  @Column('timestamptz', { name: 'occurred_at' }) occurredAt: Date;
}
