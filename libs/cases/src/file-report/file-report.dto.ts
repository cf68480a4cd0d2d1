import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { IsCalendarDate, IsNotBlank } from '@cc/common';
import { breachCaseRules } from '@cc/workflows';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/** The longest free text a report takes; the pages' character counts use the same limits. */
export const REPORT_TEXT_LIMIT = 10_000;
export const REPORT_TITLE_LIMIT = 200;
export const UNLISTED_NAME_LIMIT = 200;
export const UNLISTED_AREA_LIMIT = 100;
const TEXT = REPORT_TEXT_LIMIT;
const FEWER = (n: number) => `must be ${n.toLocaleString('en-GB')} characters or fewer`;

/** A public body the reporter could not find in the registry, as they typed it. */
export class UnlistedRespondent {
  @ApiProperty({ example: 'Kibworth Parish Council' })
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(2, UNLISTED_NAME_LIMIT, { message: `must be between 2 and ${UNLISTED_NAME_LIMIT} characters` })
  name: string;

  @ApiProperty({ example: 'Harborough', description: 'The town, district or county it serves' })
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(2, UNLISTED_AREA_LIMIT, { message: `must be between 2 and ${UNLISTED_AREA_LIMIT} characters` })
  area: string;
}

export class FileReportRequest {
  @ApiPropertyOptional({ description: 'The public body said to have broken the Compact (give this, or unlistedRespondent)', format: 'uuid' })
  @ValidateIf((r: FileReportRequest) => r.unlistedRespondent === undefined || r.respondentId !== undefined)
  @IsUUID('all', { message: 'must be the id of a public body in the registry' })
  respondentId?: string;

  @ApiPropertyOptional({
    type: UnlistedRespondent,
    description: 'A public body not in the registry, instead of respondentId: the case is filed against it and a caseworker links it to the registry at triage',
  })
  @IsOptional()
  @IsObject({ message: 'must be an object with the name and area of the public body' })
  @ValidateNested()
  @Type(() => UnlistedRespondent)
  unlistedRespondent?: UnlistedRespondent;

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
  @IsNotBlank()
  @Length(3, REPORT_TITLE_LIMIT, { message: `must be between 3 and ${REPORT_TITLE_LIMIT} characters` })
  title: string;

  @ApiProperty()
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @MaxLength(TEXT, { message: FEWER(TEXT) })
  whatHappened: string;

  @ApiProperty({ example: '2026-10-01', description: 'When it happened (YYYY-MM-DD)' })
  @IsCalendarDate()
  // The same rule as the pages' (workflows/breach-case/date-rules.ts): not in the future, not before the first Compact.
  @ValidateBy({
    name: 'breachDateSensible',
    validator: {
      validate: (v: unknown) => typeof v !== 'string' || !breachCaseRules.isRealDate(v) || breachCaseRules.breachDateSensible(v, new Date().toISOString()),
      defaultMessage: () => `must be a day from ${breachCaseRules.EARLIEST_BREACH_DATE} (the first Compact) to today, not in the future`,
    },
  })
  happenedOn: string;

  @ApiProperty({ description: 'The impact on the organisation and the people it serves' })
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @MaxLength(TEXT, { message: FEWER(TEXT) })
  impact: string;

  @ApiProperty()
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @MaxLength(TEXT, { message: FEWER(TEXT) })
  desiredOutcome: string;

  @ApiPropertyOptional({ description: 'What evidence you hold (documents can be attached later)' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(TEXT, { message: FEWER(TEXT) })
  evidence?: string;

  @ApiPropertyOptional({
    description: 'Facts the Compact\'s rules check (see GET /api/report-facts), e.g. the dates a consultation opened and closed',
    example: { consultationOpenedOn: '2026-09-01', consultationClosedOn: '2026-09-29', shorterConsultationRationaleGiven: false },
  })
  @IsOptional()
  @IsObject({ message: 'must be an object of named facts' })
  facts?: Record<string, unknown>;

  @ApiPropertyOptional({
    default: true,
    description:
      'Whether the public body may be told who reported. When false, everything the public body sees says "a voluntary organisation in <area>", and a caseworker checks documents before sharing them',
  })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  reporterMayBeNamed?: boolean;
}
