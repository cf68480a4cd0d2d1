import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';
import { IsNotBlank } from '@cc/common';

export const LISTED_STATUSES = ['to_sort', 'filed', 'auto_reply', 'bounce', 'discarded', 'received'] as const;
export type ListedStatus = (typeof LISTED_STATUSES)[number];

export const FILE_AS = ['message', 'note'] as const;
export type FileAs = (typeof FILE_AS)[number];

export class InboundMailQuery {
  @ApiPropertyOptional({ enum: LISTED_STATUSES, default: 'to_sort', description: 'to_sort: waiting for a caseworker (the default); the others: what became of the rest' })
  @IsOptional()
  @IsIn(LISTED_STATUSES, { message: `must be one of ${LISTED_STATUSES.join(', ')}` })
  status?: ListedStatus;

  @ApiPropertyOptional({ default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(500, { message: 'must be at most 500' })
  limit?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'The id of the last e-mail of the page before: lists the e-mails received before it (newest first, as every page is)' })
  @IsOptional()
  @IsUUID('all', { message: 'must be the id of an e-mail in the list' })
  before?: string;
}

export class FileInboundMailRequest {
  @ApiProperty({ example: 'CB-2026-00042', description: 'The reference of the case to put the e-mail on' })
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(1, 40, { message: 'must be 1 to 40 characters' })
  caseReference: string;

  @ApiProperty({
    enum: FILE_AS,
    description:
      'message: a message from the sender (they must have an account that can see the case), shared as their role allows, with the usual e-mails; note: an internal note by you, quoting the e-mail',
  })
  @IsIn(FILE_AS, { message: `must be one of ${FILE_AS.join(', ')}` })
  as: FileAs;
}

export class InboundMailView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: LISTED_STATUSES }) status: string;
  @ApiProperty({ description: 'What became of it, in words' }) statusText: string;
  @ApiProperty() receivedAt: string;
  @ApiProperty({ enum: ['smtp', 'imap'] }) via: string;
  @ApiProperty({ nullable: true, type: String }) fromAddress: string | null;
  @ApiProperty({ nullable: true, type: String }) fromName: string | null;
  @ApiProperty({ nullable: true, type: String }) subject: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why it waits to be sorted (a code)' }) whyToSort: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Why it waits to be sorted, in words' }) whyText: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The new part of its text (quoted text and signature taken off)' }) replyText: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The case it is about or was put on, when known' }) caseId: string | null;
  @ApiProperty({ nullable: true, type: String }) caseReference: string | null;
  @ApiProperty({ nullable: true, type: String }) handledByName: string | null;
  @ApiProperty({ nullable: true, type: String }) handledAt: string | null;
}

export class InboundMailDetail extends InboundMailView {
  @ApiProperty({ description: 'The whole text of the e-mail, quotes included' }) fullText: string;
  @ApiProperty({ type: [Object], description: 'Its attachments: file name, type and size in bytes' })
  attachments: Array<{ fileName: string; contentType: string; sizeBytes: number }>;
  @ApiProperty({ nullable: true, type: Object, description: 'The account the sender address belongs to, if any' })
  senderAccount: { name: string; role: string } | null;
}

export class FiledInboundMailView {
  @ApiProperty() caseId: string;
  @ApiProperty() caseReference: string;
  @ApiProperty() noteId: string;
  @ApiProperty({ enum: FILE_AS }) filedAs: FileAs;
  @ApiProperty() attachmentsKept: number;
  @ApiProperty() attachmentsRefused: number;
}
