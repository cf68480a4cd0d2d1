import { Injectable, Logger } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { CaseAccess } from '@cc/cases';
import { Conflict, Forbidden, IsNotBlank, isUuid } from '@cc/common';
import type { Caller } from '@cc/identity';
import { runPrepared, runSql, sql } from '@cc/persistence';

export const HOLD_REASON_MAX_LENGTH = 1000;

export class LegalHoldRequest {
  @ApiProperty({ example: 'The council has started proceedings about this grant; keep everything until they end.' })
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @MaxLength(HOLD_REASON_MAX_LENGTH, { message: `must be at most ${HOLD_REASON_MAX_LENGTH} characters` })
  reason: string;
}

export class LegalHoldEntry {
  @ApiProperty() reason: string;
  @ApiProperty() placedBy: string;
  @ApiProperty() placedAt: Date;
  @ApiPropertyOptional({ nullable: true }) liftedBy: string | null;
  @ApiPropertyOptional({ nullable: true }) liftedAt: Date | null;
  @ApiPropertyOptional({ nullable: true }) liftReason: string | null;
}

export class LegalHoldView {
  @ApiProperty() caseId: string;
  @ApiProperty() onHold: boolean;
  @ApiPropertyOptional({ type: LegalHoldEntry, nullable: true }) current: LegalHoldEntry | null;
  @ApiProperty({ type: [LegalHoldEntry], description: 'Every hold, newest first' }) history: LegalHoldEntry[];
}

/** A case held for the case page: the hold in force, if any (null when there is none). */
export type CaseHold = LegalHoldEntry | null;

const mayHold = (caller: Caller) => caller.role === 'caseworker' || caller.role === 'administrator';

/**
 * Legal holds: a case kept exactly as it is (a legal dispute, an investigation) whatever the
 * retention schedule says, and whoever asks for erasure. Caseworkers and administrators put a
 * case on hold and lift it, each time with a reason, and the history stays.
 */
@Injectable()
export class LegalHolds {
  private readonly logger = new Logger(LegalHolds.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CaseAccess,
  ) {}

  async view(caller: Caller, caseIdOrReference: string): Promise<LegalHoldView> {
    const seen = await this.access.visible(caller, caseIdOrReference);
    if (!mayHold(caller)) throw new Forbidden('LEGAL_HOLD_STAFF_ONLY', 'Only caseworkers and administrators see and change legal holds.');
    const history = await this.historyOf(seen.row.id);
    const current = history.find((h) => !h.liftedAt) ?? null;
    return { caseId: seen.row.id, onHold: !!current, current, history };
  }

  /** The hold in force on a case, for the staff case page; null for everyone else, without a query. */
  async currentFor(caller: Caller, caseIdOrReference: string): Promise<CaseHold> {
    if (!mayHold(caller)) return null;
    const where = isUuid(caseIdOrReference) ? sql`c.id = ${caseIdOrReference}` : sql`c.reference = ${caseIdOrReference.toUpperCase()}`;
    // On every case page staff open, beside the case's own reads: prepared, so it is not planned each time.
    const [row] = await runPrepared<LegalHoldEntry>(
      this.dataSource.manager,
      sql`SELECT h.reason, p.display_name AS "placedBy", h.placed_at AS "placedAt", NULL AS "liftedBy", NULL AS "liftedAt", NULL AS "liftReason"
            FROM legal_holds h JOIN cases c ON c.id = h.case_id JOIN users p ON p.id = h.placed_by
           WHERE ${where} AND h.lifted_at IS NULL`,
    );
    return row ?? null;
  }

  async place(caller: Caller, caseIdOrReference: string, reason: string): Promise<LegalHoldView> {
    const seen = await this.access.visible(caller, caseIdOrReference);
    if (!mayHold(caller)) throw new Forbidden('LEGAL_HOLD_STAFF_ONLY', 'Only caseworkers and administrators can put a case on legal hold.');
    const text = reason.trim();
    const [placed] = await runSql<{ id: string }>(
      this.dataSource,
      sql`INSERT INTO legal_holds (case_id, reason, placed_by) VALUES (${seen.row.id}, ${text}, ${caller.userId}) ON CONFLICT DO NOTHING RETURNING id`,
    );
    if (!placed) throw new Conflict('ALREADY_ON_HOLD', 'The case is already on legal hold.', { allowed: ['lift'] });
    this.logger.log({ event: 'legal-hold-placed', caseId: seen.row.id, by: caller.userId }, 'A case was put on legal hold');
    return this.view(caller, seen.row.id);
  }

  async lift(caller: Caller, caseIdOrReference: string, reason: string): Promise<LegalHoldView> {
    const seen = await this.access.visible(caller, caseIdOrReference);
    if (!mayHold(caller)) throw new Forbidden('LEGAL_HOLD_STAFF_ONLY', 'Only caseworkers and administrators can lift a legal hold.');
    const [lifted] = await runSql<{ id: string }>(
      this.dataSource,
      sql`UPDATE legal_holds SET lifted_at = now(), lifted_by = ${caller.userId}, lift_reason = ${reason.trim()}
           WHERE case_id = ${seen.row.id} AND lifted_at IS NULL RETURNING id`,
    );
    if (!lifted) throw new Conflict('NOT_ON_HOLD', 'The case is not on legal hold.', { allowed: ['place'] });
    this.logger.log({ event: 'legal-hold-lifted', caseId: seen.row.id, by: caller.userId }, 'A legal hold was lifted');
    return this.view(caller, seen.row.id);
  }

  /** Every case on hold now, for the retention page. */
  async inForce(): Promise<Array<{ caseId: string; reference: string; reason: string; placedBy: string; placedAt: Date }>> {
    return runSql(
      this.dataSource,
      sql`SELECT c.id AS "caseId", c.reference, h.reason, p.display_name AS "placedBy", h.placed_at AS "placedAt"
            FROM legal_holds h JOIN cases c ON c.id = h.case_id JOIN users p ON p.id = h.placed_by
           WHERE h.lifted_at IS NULL ORDER BY h.placed_at DESC LIMIT 200`,
    );
  }

  private historyOf(caseId: string): Promise<LegalHoldEntry[]> {
    return runSql<LegalHoldEntry>(
      this.dataSource,
      sql`SELECT h.reason, p.display_name AS "placedBy", h.placed_at AS "placedAt", l.display_name AS "liftedBy", h.lifted_at AS "liftedAt", h.lift_reason AS "liftReason"
            FROM legal_holds h JOIN users p ON p.id = h.placed_by LEFT JOIN users l ON l.id = h.lifted_by
           WHERE h.case_id = ${caseId} ORDER BY h.placed_at DESC, h.id`,
    );
  }
}
