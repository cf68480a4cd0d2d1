import { ApiProperty } from '@nestjs/swagger';

export const DURATION_SERIES = ['submitted', 'triage', 'advocacy', 'negotiation', 'mediation', 'campaigning', 'resolved', 'closure'] as const;
export type DurationSeries = (typeof DURATION_SERIES)[number];

export class DurationFigure {
  @ApiProperty({ enum: DURATION_SERIES, description: "A stage, or 'closure' for the time from submission to closure" })
  key: DurationSeries;
  @ApiProperty({ example: 'Advocacy' }) label: string;
  @ApiProperty({ description: 'Cases measured: those that have left the stage (or, for closure, are closed)' })
  cases: number;
  @ApiProperty({ type: Number, nullable: true, description: 'Median in days (to within about 3%); null when no case is measured' })
  medianDays: number | null;
}

export class DurationStats {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ type: String, nullable: true }) asOf: string | null;
  @ApiProperty({ type: [DurationFigure] }) series: DurationFigure[];
}

export class PublicDurationStats extends DurationStats {
  @ApiProperty({ description: 'Figures left out because fewer than minimumGroupSize cases were measured' })
  suppressedSeries: number;
  @ApiProperty({ example: 5 }) minimumGroupSize: number;
}
