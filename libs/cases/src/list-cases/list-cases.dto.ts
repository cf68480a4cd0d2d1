import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { CaseSummary } from '../get-case/case.dto';

export const STAGES = ['submitted', 'triage', 'advocacy', 'negotiation', 'mediation', 'campaigning', 'resolved', 'review', 'closed'] as const;
export const LIST_ORDERS = ['newest', 'oldest'] as const;

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

  @ApiPropertyOptional({
    description:
      "A case number (\"CB-2026-00002\", \"2026-2\", \"00002\" or \"2\"), or words that start words in the title, the account, the reporting organisation's or public body's name, or (caseworkers and administrators only) the reporter's name or e-mail",
  })
  @IsOptional()
  @IsString()
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  text?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;

  @ApiPropertyOptional({ enum: LIST_ORDERS, default: 'newest', description: 'By submission: newest first, or oldest first (the cases waiting longest, as the triage queue shows them)' })
  @IsOptional()
  @IsIn(LIST_ORDERS, { message: `must be one of ${LIST_ORDERS.join(', ')}` })
  order?: (typeof LIST_ORDERS)[number];

  @ApiPropertyOptional({ default: 25, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(100, { message: 'must be at most 100' })
  limit?: number;
}

export class ActionNeededView {
  @ApiProperty({ enum: ['answerQuestions', 'agreeFee', 'reply', 'reportActionsDone'] }) action: 'answerQuestions' | 'agreeFee' | 'reply' | 'reportActionsDone';
  @ApiProperty({ nullable: true, type: String, description: 'When the time to do it runs out' }) dueAt: string | null;
}

export class CaseListItem extends CaseSummary {
  @ApiPropertyOptional({ nullable: true, type: ActionNeededView, description: "Reporters only: what the case waits for the reporter to do, and by when" })
  actionNeeded?: ActionNeededView | null;
}

export class CasePage {
  @ApiProperty({ type: [CaseListItem] }) items: CaseListItem[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor for the next page; null at the end' })
  nextCursor: string | null;
}
