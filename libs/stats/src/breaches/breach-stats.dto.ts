import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { StatsRangeQuery } from '../shared/stats-range.dto';

export const BREACH_GROUPINGS = ['commitment', 'code', 'respondent', 'bodyType', 'compact', 'area', 'outcome', 'month'] as const;
export type BreachGrouping = (typeof BREACH_GROUPINGS)[number];

export class BreachStatsQuery extends StatsRangeQuery {
  @ApiProperty({
    enum: BREACH_GROUPINGS,
    description:
      'commitment said to be breached; code (the section of the Compact it is in); respondent (public body); bodyType; compact; area (of the public body, else of the Compact); outcome; month of submission',
  })
  @IsIn(BREACH_GROUPINGS, { message: `must be one of ${BREACH_GROUPINGS.join(', ')}` })
  by: BreachGrouping;
}

export class CommitmentWords {
  @ApiProperty({ example: '2.4' }) reference: string;
  @ApiProperty({ example: 'Where appropriate, conduct formal written consultations lasting 12 weeks, ...' }) text: string;
  @ApiProperty({ example: 'The Compact (2010)' }) compact: string;
}

export class BreachGroup {
  @ApiProperty({ description: "The group's id (a UUID, a code such as 'council' or 'resolved', an area, YYYY-MM), or 'none'" })
  key: string;
  @ApiProperty({ example: 'The Compact (2010) 2.4: Where appropriate, conduct formal written consultations lasting 12 weeks, ...' })
  label: string;
  @ApiPropertyOptional({ type: CommitmentWords, description: 'by=commitment: the commitment\'s reference, words and Compact' })
  commitment?: CommitmentWords;
  @ApiProperty({ description: 'Cases in the group (a case naming two commitments is in both of their groups)' })
  cases: number;
  @ApiProperty() open: number;
  @ApiProperty() closed: number;
}

export class BreachStats {
  @ApiProperty({ enum: BREACH_GROUPINGS }) by: BreachGrouping;
  @ApiProperty({ example: '2025-01-01' }) from: string;
  @ApiProperty({ example: '2025-12-31' }) to: string;
  @ApiProperty({ type: String, nullable: true, description: 'Every change made before this time is counted' })
  asOf: string | null;
  @ApiProperty({ description: 'Cases submitted in the range, each counted once' })
  total: number;
  @ApiProperty({ type: [BreachGroup] }) groups: BreachGroup[];
}

export class PublicBreachStats {
  @ApiProperty({ enum: BREACH_GROUPINGS }) by: BreachGrouping;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: String, nullable: true }) asOf: string | null;
  @ApiProperty({ description: 'Cases submitted in the range, each counted once (as the full figures give it)' })
  total: number;
  @ApiProperty({ description: 'Cases in the groups shown (a case naming two commitments counts in both)' })
  shownCases: number;
  @ApiProperty({
    description:
      'Groups left out: those of fewer than minimumGroupSize cases and, when those hold fewer than minimumGroupSize between them, the next smallest, so that no hidden group can be worked out from the total',
  })
  suppressedGroups: number;
  @ApiProperty({ example: 5 }) minimumGroupSize: number;
  @ApiProperty({ type: [BreachGroup] }) groups: BreachGroup[];
}
