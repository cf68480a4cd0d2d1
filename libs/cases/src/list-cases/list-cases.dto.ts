import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { CaseSummary } from '../get-case/case.dto';

export const STAGES = ['submitted', 'triage', 'advocacy', 'negotiation', 'mediation', 'campaigning', 'resolved', 'closed'] as const;

export class ListCasesQuery {
  @ApiPropertyOptional({ example: 'advocacy.reviewing', description: 'Exact state' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  state?: string;

  @ApiPropertyOptional({ enum: STAGES })
  @IsOptional()
  @IsIn(STAGES, { message: `must be one of ${STAGES.join(', ')}` })
  stage?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  respondentId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  compactId?: string;

  @ApiPropertyOptional({ description: "A caseworker's id, or 'none' for unassigned cases" })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  assigneeId?: string;

  @ApiPropertyOptional({ description: 'Words to find in the reference, title or account' })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  text?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;

  @ApiPropertyOptional({ default: 25, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(100, { message: 'must be at most 100' })
  limit?: number;
}

export class CasePage {
  @ApiProperty({ type: [CaseSummary] }) items: CaseSummary[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null at the end' })
  nextCursor: string | null;
}
