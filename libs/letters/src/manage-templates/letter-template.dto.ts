import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsNotBlank } from '@cc/common';
import { ADDRESSEES, type Addressee } from '../merge-fields/letter-facts';

export const TEMPLATE_LIMITS = { name: 120, purpose: 500, subject: 300, body: 20_000 } as const;

export class LetterTemplateView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'When to use it, in words' }) purpose: string;
  @ApiProperty({ enum: ADDRESSEES, description: 'respondent: the public body; reporter: the reporting organisation; parties: both sides' }) addressedTo: Addressee;
  @ApiProperty({ description: 'The subject line, with merge fields like {{case.reference}}' }) subject: string;
  @ApiProperty({ description: 'The letter, with merge fields like {{case.reference}} and blocks {{#each commitments}} … {{/each}}' }) body: string;
  @ApiProperty() archived: boolean;
  @ApiProperty({ description: 'True for one of the letters the service ships (an administrator may still edit it)' }) shipped: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'first-letter', description: 'Which shipped letter it is (null for one an administrator added)' }) defaultKey: string | null;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ nullable: true, type: String }) updatedByName: string | null;
}

export class CreateLetterTemplateRequest {
  @ApiProperty({ maxLength: TEMPLATE_LIMITS.name })
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(1, TEMPLATE_LIMITS.name, { message: `must be 1 to ${TEMPLATE_LIMITS.name} characters` })
  name: string;

  @ApiPropertyOptional({ maxLength: TEMPLATE_LIMITS.purpose })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(TEMPLATE_LIMITS.purpose, { message: `must be ${TEMPLATE_LIMITS.purpose} characters or fewer` })
  purpose?: string;

  @ApiProperty({ enum: ADDRESSEES })
  @IsIn(ADDRESSEES, { message: `must be one of ${ADDRESSEES.join(', ')}` })
  addressedTo: Addressee;

  @ApiProperty({ maxLength: TEMPLATE_LIMITS.subject })
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(1, TEMPLATE_LIMITS.subject, { message: `must be 1 to ${TEMPLATE_LIMITS.subject} characters` })
  subject: string;

  @ApiProperty({ maxLength: TEMPLATE_LIMITS.body })
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(1, TEMPLATE_LIMITS.body, { message: `must be 1 to ${TEMPLATE_LIMITS.body.toLocaleString('en-GB')} characters` })
  body: string;
}

export class UpdateLetterTemplateRequest {
  @ApiPropertyOptional({ maxLength: TEMPLATE_LIMITS.name })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(1, TEMPLATE_LIMITS.name, { message: `must be 1 to ${TEMPLATE_LIMITS.name} characters` })
  name?: string;

  @ApiPropertyOptional({ maxLength: TEMPLATE_LIMITS.purpose })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(TEMPLATE_LIMITS.purpose, { message: `must be ${TEMPLATE_LIMITS.purpose} characters or fewer` })
  purpose?: string;

  @ApiPropertyOptional({ enum: ADDRESSEES })
  @IsOptional()
  @IsIn(ADDRESSEES, { message: `must be one of ${ADDRESSEES.join(', ')}` })
  addressedTo?: Addressee;

  @ApiPropertyOptional({ maxLength: TEMPLATE_LIMITS.subject })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(1, TEMPLATE_LIMITS.subject, { message: `must be 1 to ${TEMPLATE_LIMITS.subject} characters` })
  subject?: string;

  @ApiPropertyOptional({ maxLength: TEMPLATE_LIMITS.body })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(1, TEMPLATE_LIMITS.body, { message: `must be 1 to ${TEMPLATE_LIMITS.body.toLocaleString('en-GB')} characters` })
  body?: string;

  @ApiPropertyOptional({ description: 'true: no longer offered to caseworkers (letters sent from it keep its name); false: offered again' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  archived?: boolean;
}

export class MergeFieldView {
  @ApiProperty({ example: 'case.reference' }) field: string;
  @ApiProperty({ example: '{{case.reference}}', description: 'What to write in a template' }) use: string;
  @ApiProperty({ example: 'the case reference' }) words: string;
  @ApiPropertyOptional() example?: string;
  @ApiPropertyOptional({ enum: ['each', 'if'], description: 'each: a list, used as {{#each field}} … {{/each}}; if: a yes or no, used as {{#if field}} … {{/if}}' }) block?: string;
}
