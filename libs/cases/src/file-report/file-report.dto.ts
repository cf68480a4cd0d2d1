import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
} from 'class-validator';

const TEXT = 10_000;

export class FileReportRequest {
  @ApiProperty({ description: 'The public body said to have broken the Compact', format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  respondentId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a UUID' })
  compactId: string;

  @ApiProperty({ description: 'References of the commitments said to be breached, e.g. ["2.4", "4.5"]', example: ['4.5'] })
  @IsArray({ message: 'must be a list of commitment references' })
  @ArrayMinSize(1, { message: 'must name at least one commitment' })
  @ArrayMaxSize(20, { message: 'must name at most 20 commitments' })
  @IsString({ each: true, message: 'must contain only text references' })
  @Length(1, 20, { each: true, message: 'must contain references of 1 to 20 characters' })
  commitments: string[];

  @ApiProperty({ example: 'Grant cut with two weeks notice' })
  @IsString({ message: 'must be text' })
  @Length(3, 200, { message: 'must be 3 to 200 characters' })
  title: string;

  @ApiProperty()
  @IsString({ message: 'must be text' })
  @Length(1, TEXT, { message: `must be 1 to ${TEXT} characters` })
  whatHappened: string;

  @ApiProperty({ example: '2026-10-01', description: 'When it happened (YYYY-MM-DD)' })
  @IsISO8601({ strict: true }, { message: 'must be a date in the form YYYY-MM-DD' })
  @Length(10, 10, { message: 'must be a date in the form YYYY-MM-DD' })
  happenedOn: string;

  @ApiProperty({ description: 'The impact on the organisation and the people it serves' })
  @IsString({ message: 'must be text' })
  @Length(1, TEXT, { message: `must be 1 to ${TEXT} characters` })
  impact: string;

  @ApiProperty()
  @IsString({ message: 'must be text' })
  @Length(1, TEXT, { message: `must be 1 to ${TEXT} characters` })
  desiredOutcome: string;

  @ApiPropertyOptional({ description: 'What evidence you hold (documents can be attached later)' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(TEXT, { message: `must be at most ${TEXT} characters` })
  evidence?: string;

  @ApiPropertyOptional({
    description: 'Facts the Compact\'s rules check (see GET /api/report-facts), e.g. the dates a consultation opened and closed',
    example: { consultationOpenedOn: '2026-09-01', consultationClosedOn: '2026-09-29', shorterConsultationRationaleGiven: false },
  })
  @IsOptional()
  @IsObject({ message: 'must be an object of named facts' })
  facts?: Record<string, unknown>;
}
