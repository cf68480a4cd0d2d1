import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { UuidParam } from '@cc/common';
import { Roles } from '@cc/identity';
import { EMAIL_TEMPLATES, EmailFilter, EmailTemplate, FailedEmails, NOTIFICATION_STATUSES, isCalendarDay } from './failed-emails.service';

const STATUSES = NOTIFICATION_STATUSES;

function IsCalendarDay(): PropertyDecorator {
  return ValidateBy({ name: 'isCalendarDay', validator: { validate: (value) => isCalendarDay(value), defaultMessage: () => 'must be a real date in the form YYYY-MM-DD' } });
}

/** Which e-mails: shared by the list and the bulk retry, so the list shows what a retry would take. */
export class EmailFilterDto implements EmailFilter {
  @ApiPropertyOptional({ enum: EMAIL_TEMPLATES, description: 'The kind of e-mail' })
  @IsOptional()
  @IsIn(EMAIL_TEMPLATES, { message: `must be one of ${EMAIL_TEMPLATES.join(', ')}` })
  template?: EmailTemplate;

  @ApiPropertyOptional({ example: 'CB-2026-00042' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @Length(1, 40, { message: 'must be 1 to 40 characters' })
  caseReference?: string;

  @ApiPropertyOptional({ example: 'reporter@example.org', description: 'The address it was sent to; capitals do not matter' })
  @IsOptional()
  @IsString({ message: 'must be text' })
  @MaxLength(320, { message: 'must be at most 320 characters' })
  @IsEmail({}, { message: 'must be an e-mail address' })
  recipient?: string;

  @ApiPropertyOptional({ example: '2026-12-01', description: 'Failed on or after this day in England (YYYY-MM-DD)' })
  @IsOptional()
  @IsCalendarDay()
  failedFrom?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Failed on or before this day in England (YYYY-MM-DD); not before failedFrom' })
  @IsOptional()
  @IsCalendarDay()
  failedTo?: string;
}

export class NotificationsQuery extends EmailFilterDto {
  @ApiPropertyOptional({ enum: STATUSES, default: 'failed' })
  @IsOptional()
  @IsIn(STATUSES, { message: `must be one of ${STATUSES.join(', ')}` })
  status?: (typeof STATUSES)[number];

  @ApiPropertyOptional({ default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(500, { message: 'must be at most 500' })
  limit?: number;
}

export class NotificationView {
  @ApiProperty() id: string;
  @ApiProperty() caseReference: string;
  @ApiProperty() template: string;
  @ApiProperty() recipientEmail: string;
  @ApiProperty({ enum: STATUSES }) status: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({ nullable: true, type: String }) smtpResponse: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String }) failedAt: string | null;
}

export class RetriedView {
  @ApiProperty({ description: 'How many failed e-mails were put back in the outbox' }) retried: number;
}

/** Administrators see e-mails that could not be delivered and send them again. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('administrator')
@Controller('admin/notifications')
export class AdminNotificationsController {
  constructor(private readonly emails: FailedEmails) {}

  @Get()
  @ApiOkResponse({
    type: [NotificationView],
    // A header rather than a wrapper object, so clients reading the body as an array keep working.
    headers: { 'X-Total-Count': { description: 'How many e-mails match in all (the body holds at most limit)', schema: { type: 'integer' } } },
  })
  async list(@Query() query: NotificationsQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<NotificationView[]> {
    const { status, limit, ...filter } = query;
    const { items, total } = await this.emails.search(status ?? 'failed', limit ?? 50, filter);
    reply.header('X-Total-Count', String(total));
    return items;
  }

  @Post('retry')
  @HttpCode(200)
  @ApiBody({ type: EmailFilterDto, required: false, description: 'No body, or {}, means every failed e-mail' })
  @ApiOkResponse({ type: RetriedView, description: 'Every failed e-mail matching the filter (all of them with no filter) is sent again' })
  retryAll(@Body() filter: EmailFilterDto): Promise<RetriedView> {
    return this.emails.retryAll(filter);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationView })
  retry(@UuidParam('id', (id) => `Notification ${id}`) id: string): Promise<{ id: string; status: string }> {
    return this.emails.retry(id);
  }
}
