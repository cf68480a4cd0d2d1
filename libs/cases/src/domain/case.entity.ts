import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TriageHint } from '../file-report/triage-hints';

@Entity('cases')
export class CaseEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** Human-friendly, e.g. CB-2026-00042. */
  @Column('text') reference: string;
  @Column('int', { name: 'machine_version' }) machineVersion: number;
  /** The workflow's persisted snapshot; only the workflow interprets it. */
  @Column('jsonb') snapshot: unknown;
  /** Dotted leaf state, e.g. advocacy.reviewing, kept as a column so lists can filter on it. */
  @Column('text') state: string;
  @Column('text') stage: string;
  /** Rises by one with each applied event; equals the sequence number of the last event. */
  @Column('int') version: number;
  @Column('uuid', { name: 'reporting_organisation_id' }) reportingOrganisationId: string;
  @Column('uuid', { name: 'respondent_organisation_id' }) respondentOrganisationId: string;
  @Column('uuid', { name: 'compact_id' }) compactId: string;
  @Column('text', { array: true }) commitments: string[];
  @Column('uuid', { name: 'commitment_ids', array: true }) commitmentIds: string[];
  /** The facts the report gave for the Compact's rules to check (dates, yes/no answers). */
  @Column('jsonb') facts: Record<string, unknown>;
  /** Worked out once, at filing, from the report and the registry as they were then. */
  @Column('jsonb', { name: 'triage_hints' }) triageHints: TriageHint[];
  @Column('uuid', { name: 'reported_by' }) reportedBy: string;
  @Column('uuid', { name: 'assignee_id', nullable: true }) assigneeId: string | null;
  @Column('uuid', { name: 'mediator_id', nullable: true }) mediatorId: string | null;
  @Column('text', { nullable: true }) outcome: string | null;
  @Column('text') title: string;
  @Column('text', { name: 'what_happened' }) whatHappened: string;
  @Column('date', { name: 'happened_on' }) happenedOn: string;
  @Column('text') impact: string;
  @Column('text', { name: 'desired_outcome' }) desiredOutcome: string;
  @Column('text', { nullable: true }) evidence: string | null;
  @Column('timestamptz', { name: 'submitted_at' }) submittedAt: Date;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
  @Column('timestamptz', { name: 'closed_at', nullable: true }) closedAt: Date | null;
  /** Whether the public body may be told who reported (asked at filing; false: "a voluntary organisation in <area>"). */
  @Column('boolean', { name: 'reporter_named', default: true }) reporterNamed: boolean;
}

/**
 * A case as an access decision reads it. `callerIsNamedContact` is worked out in the statement
 * that reads the case, and only for a respondent: whether a case_contacts row names the caller's
 * (active) contact record on this case.
 */
export interface CaseAccessFacts {
  reportingOrganisationId: string;
  respondentOrganisationId: string;
  mediatorId: string | null;
  callerIsNamedContact?: boolean;
}
