import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { NotFound, ValidationFailed } from '@cc/common';
import { runSql, sql } from '@cc/persistence';

/** The kinds of personal data the schedule covers, in the order the job applies them. */
export const RETENTION_KINDS = ['unsentReportDocuments', 'inboundMail', 'signInRecords', 'auditEntries', 'closedCases', 'unusedAccounts'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

export const PERIOD_UNITS = ['days', 'months'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

/** What each kind is and what happens to it, said for an administrator (and the privacy notice). */
export const RETENTION_WORDS: Record<RetentionKind, { what: string; after: string; action: string }> = {
  closedCases: {
    what: 'Closed cases',
    after: 'after the case closed',
    action: 'Names, e-mail addresses and everything people wrote are removed and documents deleted. The case still counts in the statistics.',
  },
  signInRecords: {
    what: 'Sign-in records',
    after: 'after they were made',
    action: 'Sign-in links, password reset requests, signed-in sessions, account histories and failed sign-in counts are deleted.',
  },
  auditEntries: { what: 'Records of who read what', after: 'after the read', action: 'The entries are deleted.' },
  unsentReportDocuments: {
    what: 'Documents for a report never sent',
    after: 'after the report was last worked on',
    action: 'The documents are deleted.',
  },
  unusedAccounts: {
    what: 'Accounts never used',
    after: 'without being used',
    action: 'Reporters’ and public body contacts’ accounts that nobody has signed in to or worked on a case with are closed and their names and addresses erased.',
  },
  inboundMail: {
    what: 'Replies nobody sorted, automatic replies and bounces',
    after: 'after they arrived',
    action: 'The messages are deleted. Replies filed on a case stay with the case.',
  },
};

export interface RetentionPeriod {
  kind: RetentionKind;
  count: number;
  unit: PeriodUnit;
  updatedAt: Date;
  updatedBy: string | null;
}

export class RetentionPeriodRequest {
  @ApiProperty({ example: 72, description: 'How many days or months the data is kept', minimum: 1 })
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(36500, { message: 'must be at most 36500' })
  count: number;

  @ApiProperty({ enum: PERIOD_UNITS })
  @IsIn(PERIOD_UNITS as unknown as string[], { message: `must be one of: ${PERIOD_UNITS.join(', ')}` })
  unit: PeriodUnit;
}

/** The longest period each unit may say: a hundred years is not a retention period. */
const LIMITS: Record<PeriodUnit, number> = { days: 36500, months: 1200 };

/** A period in words: "6 years", "18 months", "90 days". */
export function periodWords(count: number, unit: PeriodUnit): string {
  if (unit === 'months' && count % 12 === 0) return count === 12 ? '1 year' : `${count / 12} years`;
  if (unit === 'months') return count === 1 ? '1 month' : `${count} months`;
  return count === 1 ? '1 day' : `${count} days`;
}

/** The schedule administrators keep (retention_schedule): how long each kind of personal data is kept. */
@Injectable()
export class RetentionSchedule {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<RetentionPeriod[]> {
    const rows = await runSql<RetentionPeriod>(
      this.dataSource,
      sql`SELECT s.kind, s.period_count AS count, s.period_unit AS unit, s.updated_at AS "updatedAt", u.display_name AS "updatedBy"
            FROM retention_schedule s LEFT JOIN users u ON u.id = s.updated_by`,
    );
    return RETENTION_KINDS.map((k) => rows.find((r) => r.kind === k)).filter((r): r is RetentionPeriod => !!r);
  }

  isKind(kind: string): kind is RetentionKind {
    return (RETENTION_KINDS as readonly string[]).includes(kind);
  }

  async set(kind: string, period: { count: number; unit: PeriodUnit }, byUserId: string): Promise<RetentionPeriod> {
    if (!this.isKind(kind)) throw new NotFound(`Retention rule ${kind}`, 'RETENTION_KIND_NOT_FOUND');
    if (!(PERIOD_UNITS as readonly string[]).includes(period.unit)) throw new ValidationFailed([{ field: 'unit', reason: `must be one of: ${PERIOD_UNITS.join(', ')}` }]);
    if (!Number.isInteger(period.count) || period.count < 1) throw new ValidationFailed([{ field: 'count', reason: 'must be a whole number, at least 1' }]);
    if (period.count > LIMITS[period.unit]) throw new ValidationFailed([{ field: 'count', reason: `must be at most ${LIMITS[period.unit]} ${period.unit}` }]);
    await runSql(
      this.dataSource,
      sql`UPDATE retention_schedule SET period_count = ${period.count}, period_unit = ${period.unit}, updated_by = ${byUserId}, updated_at = now() WHERE kind = ${kind}`,
    );
    return (await this.list()).find((p) => p.kind === kind)!;
  }
}
