import { ApiProperty } from '@nestjs/swagger';
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

export class BreachGroup {
  @ApiProperty({ description: "The group's id (a UUID, a code such as 'council' or 'resolved', an area, YYYY-MM), or 'none'" })
  key: string;
  @ApiProperty({ example: '2.4 — The Compact (2010)' })
  label: string;
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
  @ApiProperty({ description: 'Sum of the groups shown (groups left out are not in it)' })
  total: number;
  @ApiProperty({ description: 'Groups left out because they hold fewer than minimumGroupSize cases' })
  suppressedGroups: number;
  @ApiProperty({ example: 5 }) minimumGroupSize: number;
  @ApiProperty({ type: [BreachGroup] }) groups: BreachGroup[];
}
