import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { IsNotBlank } from '@cc/common';
import { TEMPLATE_LIMITS } from '../manage-templates/letter-template.dto';

export const MAX_RECIPIENTS = 20;

export class PreviewLetterRequest {
  @ApiProperty({ description: 'The letter template to fill in (GET /api/letter-templates)' })
  @IsUUID('all', { message: 'must be the id of a letter template' })
  templateId: string;

  @ApiPropertyOptional({ type: [String], description: "Who it is to: 'reporter' and/or ids of the public body's contacts named on the case. Left out: everyone on the side the template is addressed to" })
  @IsOptional()
  @IsArray({ message: 'must be a list' })
  @ArrayMaxSize(MAX_RECIPIENTS, { message: `must name ${MAX_RECIPIENTS} people or fewer` })
  @IsString({ each: true, message: "must each be 'reporter' or a contact's id" })
  recipients?: string[];

  @ApiPropertyOptional({ description: 'The subject as edited; left out, the template fills it in' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(TEMPLATE_LIMITS.subject, { message: `must be ${TEMPLATE_LIMITS.subject} characters or fewer` })
  subject?: string;

  @ApiPropertyOptional({ description: 'The letter as edited (plain text; "[missing: …]" marks a gap still to fill); left out, the template fills it in' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(TEMPLATE_LIMITS.body, { message: `must be ${TEMPLATE_LIMITS.body.toLocaleString('en-GB')} characters or fewer` })
  body?: string;
}

export class SendLetterRequest {
  @ApiProperty({ description: 'The letter template it was written from' })
  @IsUUID('all', { message: 'must be the id of a letter template' })
  templateId: string;

  @ApiPropertyOptional({ description: 'Your own id for this letter (a UUID): sending the same one again sends nothing more and answers with the letter already sent' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  requestId?: string;

  @ApiProperty({ type: [String], description: "Who it is to: 'reporter' and/or ids of the public body's contacts named on the case, on the side the template is addressed to" })
  @IsArray({ message: 'must be a list' })
  @ArrayMinSize(1, { message: 'must name at least one person' })
  @ArrayMaxSize(MAX_RECIPIENTS, { message: `must name ${MAX_RECIPIENTS} people or fewer` })
  @IsString({ each: true, message: "must each be 'reporter' or a contact's id" })
  recipients: string[];

  @ApiPropertyOptional({ description: 'The subject as edited; left out, the template fills it in' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(1, TEMPLATE_LIMITS.subject, { message: `must be 1 to ${TEMPLATE_LIMITS.subject} characters` })
  subject?: string;

  @ApiPropertyOptional({ description: 'The letter as edited (plain text); left out, the template fills it in. Refused while it still has a "[missing: …]" gap' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(1, TEMPLATE_LIMITS.body, { message: `must be 1 to ${TEMPLATE_LIMITS.body.toLocaleString('en-GB')} characters` })
  body?: string;

  @ApiPropertyOptional({ description: 'true (the default): e-mail it to each recipient; false: keep it on the case only, to post or hand over' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  byEmail?: boolean;
}

export class LetterGapView {
  @ApiProperty({ example: 'the date the public body must reply by' }) words: string;
}

export class LetterRecipientView {
  @ApiProperty({ description: "'reporter', or the public body contact's id" }) id: string;
  @ApiProperty({ enum: ['reporter', 'respondent'] }) side: string;
  @ApiProperty() name: string;
  @ApiProperty() organisation: string;
  @ApiProperty({ nullable: true, type: String }) jobTitle: string | null;
  @ApiProperty() hasEmail: boolean;
}

export class LetterPreviewView {
  @ApiProperty() templateId: string;
  @ApiProperty() templateName: string;
  @ApiProperty({ enum: ['respondent', 'reporter', 'parties'] }) addressedTo: string;
  @ApiProperty({ description: 'The subject, gaps marked "[missing: …]"' }) subject: string;
  @ApiProperty({ description: 'The letter, gaps marked "[missing: …]"' }) body: string;
  @ApiProperty({ type: [String], description: 'What the letter still needs, in words; sending is refused until it is empty' }) gaps: string[];
  @ApiProperty({ type: [LetterRecipientView], description: 'Who this letter can go to' }) recipients: LetterRecipientView[];
  @ApiProperty({ type: [String], description: 'The recipients chosen (or those chosen by default)' }) chosen: string[];
}
