import { Injectable, Logger } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '@cc/common';
import type { Caller } from '@cc/identity';
import { rawSql, runPrepared, runSql, sql } from '@cc/persistence';
import { CaseAccess, VisibleCase } from '../domain/case-access.service';

export class LinkCaseRequest {
  @ApiProperty({ format: 'uuid', description: 'The case to link this one with' })
  @IsUUID('all', { message: 'must be a UUID' })
  caseId: string;

  @ApiPropertyOptional({ example: 'Same funding cut hit both groups' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(500, { message: 'must be at most 500 characters' })
  reason?: string;
}

export class LinkedCaseView {
  @ApiProperty() id: string;
  @ApiProperty() reference: string;
  @ApiProperty() title: string;
  @ApiProperty() state: string;
  @ApiProperty() stage: string;
  @ApiProperty() reportingOrganisation: string;
  @ApiProperty() respondent: string;
  @ApiProperty({ type: [String] }) commitments: string[];
  @ApiProperty() submittedAt: string;
}

export class CaseGroupView {
  @ApiProperty({ type: [LinkedCaseView], description: 'Every case linked to this one, directly or through another' })
  group: LinkedCaseView[];
  @ApiProperty({ type: [LinkedCaseView], description: 'Reports against the same respondent and commitment within six months, not yet linked' })
  suggestions: LinkedCaseView[];
}

/** Why a case cannot be linked with itself; the page words it for a person. */
export const SELF_LINK_REASON = 'is this case itself: a case can only be linked with another case';

const CASE_COLUMNS = rawSql(`c.id, c.reference, c.title, c.state, c.stage, r.name AS "reportingOrganisation", p.name AS respondent, c.commitments,
  to_char(c.submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "submittedAt"`);
const CASE_JOINS = rawSql(`JOIN organisations r ON r.id = c.reporting_organisation_id JOIN organisations p ON p.id = c.respondent_organisation_id`);

/**
 * Caseworkers link cases that are one matter seen from several groups (one funding cut, many
 * groups), and see the linked group together. Links cross organisations, so only staff see them.
 */
@Injectable()
export class CaseLinks {
  private readonly logger = new Logger(CaseLinks.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CaseAccess,
  ) {}

  async link(caller: Caller, caseId: string, request: LinkCaseRequest): Promise<CaseGroupView> {
    const one = await this.access.visibleCase(caller, caseId);
    this.staffOnly(caller);
    const other = await this.access.visibleCase(caller, request.caseId).catch(() => {
      throw new ValidationFailed([{ field: 'caseId', reason: 'is not a known case' }]);
    });
    // Compared once both are found: the same case can be named by its id in any case or by its
    // reference, and a link to itself would break the table's ordered-pair check (a 500).
    if (other.id === one.id) throw new ValidationFailed([{ field: 'caseId', reason: SELF_LINK_REASON }]);
    const [low, high] = one.id < other.id ? [one.id, other.id] : [other.id, one.id];
    const inserted = await runSql(
      this.dataSource,
      sql`INSERT INTO case_links (case_id, linked_case_id, reason, linked_by) VALUES (${low}, ${high}, ${request.reason ?? null}, ${caller.userId})
          ON CONFLICT DO NOTHING RETURNING case_id`,
    );
    if (inserted.length === 0) throw new Conflict('ALREADY_LINKED', `${one.reference} and ${other.reference} are already linked.`);
    this.logger.log({ caseId: one.id, linkedCaseId: other.id, by: caller.userId }, 'Cases linked');
    return this.group(caller, one.id);
  }

  async unlink(caller: Caller, caseId: string, otherId: string): Promise<void> {
    const one = await this.access.visibleCase(caller, caseId);
    this.staffOnly(caller);
    // otherId is a UUID: the controllers' UuidParam answers anything else with this same 404.
    const [low, high] = one.id < otherId ? [one.id, otherId] : [otherId, one.id];
    const removed = await runSql(this.dataSource, sql`DELETE FROM case_links WHERE case_id = ${low} AND linked_case_id = ${high} RETURNING case_id`);
    if (removed.length === 0) throw new NotFound('That link', 'LINK_NOT_FOUND');
    this.logger.log({ caseId: one.id, unlinkedCaseId: otherId, by: caller.userId }, 'Cases unlinked');
  }

  async group(caller: Caller, caseId: string): Promise<CaseGroupView> {
    // Seen first, so a case the caller may not see is a 404 like every other case endpoint.
    const seen = await this.access.visible(caller, caseId);
    const group = await this.linkedTo(seen);
    return { group, suggestions: await this.suggestionsFor(seen, group) };
  }

  /**
   * The cases linked with a case already loaded and checked, directly or through another, oldest
   * first; still for staff only (403). On every case page staff open: one prepared statement.
   */
  async linkedTo({ caller, row: c }: VisibleCase): Promise<LinkedCaseView[]> {
    this.staffOnly(caller);
    const [columns, joins] = [CASE_COLUMNS, CASE_JOINS];
    return runPrepared<LinkedCaseView>(
      this.dataSource.manager,
      sql`WITH RECURSIVE linked(id) AS (
         SELECT ${c.id}::uuid
         UNION
         SELECT CASE WHEN l.case_id = linked.id THEN l.linked_case_id ELSE l.case_id END
           FROM case_links l JOIN linked ON linked.id IN (l.case_id, l.linked_case_id)
       )
       SELECT ${columns} FROM cases c ${joins} WHERE c.id IN (SELECT id FROM linked) AND c.id <> ${c.id}::uuid ORDER BY c.submitted_at`,
    );
  }

  /**
   * Reports that may be the same matter as a case already loaded and checked: against the same body
   * and commitment within six months of it, not yet in its linked `group`, newest first, at most 20.
   * Read on the page that offers them, not on every case page: it is the dearest read a case has.
   */
  async suggestionsFor({ caller, row: c }: VisibleCase, group: readonly LinkedCaseView[]): Promise<LinkedCaseView[]> {
    this.staffOnly(caller);
    // Planned with its values each time: a prepared statement's generic plan cannot see how narrow
    // six months are, so at 100,000 cases it read every case of the window into a bitmap and sorted
    // them (15 ms, 3,000 rows); planned with the values it walks the respondent's index newest first
    // and stops at 20 (about 1 ms with planning).
    return runSql<LinkedCaseView>(
      this.dataSource.manager,
      sql`SELECT ${CASE_COLUMNS} FROM cases c ${CASE_JOINS}
           WHERE c.respondent_organisation_id = ${c.respondentOrganisationId} AND c.commitment_ids && ${c.commitmentIds}::uuid[]
             AND c.submitted_at BETWEEN ${c.submittedAt.toISOString()}::timestamptz - interval '6 months' AND ${c.submittedAt.toISOString()}::timestamptz + interval '6 months'
             AND c.id <> ALL(${[c.id, ...group.map((g) => g.id)]}::uuid[])
           ORDER BY c.submitted_at DESC LIMIT 20`,
    );
  }

  private staffOnly(caller: Caller): void {
    if (caller.role !== 'caseworker' && caller.role !== 'administrator') {
      throw new Forbidden('STAFF_ONLY', 'Linked cases are for caseworkers: they span several organisations.');
    }
  }
}
