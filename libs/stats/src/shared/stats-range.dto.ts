import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export const FORMATS = ['json', 'csv'] as const;
export type StatsFormat = (typeof FORMATS)[number];

/** A date range of submission days (England) and the answer's format. */
export class StatsRangeQuery {
  @ApiPropertyOptional({ example: '2025-01-01', description: 'First submission day counted (YYYY-MM-DD). Default: a year before to.' })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  from?: string;

  @ApiPropertyOptional({ example: '2025-12-31', description: 'Last submission day counted (YYYY-MM-DD). Default: today.' })
  @IsOptional()
  @IsString()
  @Length(1, 20)
  to?: string;

  @ApiPropertyOptional({ enum: FORMATS, description: 'csv for a spreadsheet (or send Accept: text/csv)' })
  @IsOptional()
  @IsIn(FORMATS, { message: `must be one of ${FORMATS.join(', ')}` })
  format?: StatsFormat;
}
