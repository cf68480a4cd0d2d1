import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Roles } from '@cc/identity';
import { FailedEmails, NOTIFICATION_STATUSES } from './failed-emails.service';

const STATUSES = NOTIFICATION_STATUSES;

export class NotificationsQuery {
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

/** Administrators see e-mails that could not be delivered and send them again. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('administrator')
@Controller('admin/notifications')
export class AdminNotificationsController {
  constructor(private readonly emails: FailedEmails) {}

  @Get()
  @ApiOkResponse({ type: [NotificationView] })
  list(@Query() query: NotificationsQuery): Promise<NotificationView[]> {
    return this.emails.list(query.status ?? 'failed', query.limit ?? 50);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationView })
  retry(@Param('id', new ParseUUIDPipe()) id: string): Promise<{ id: string; status: string }> {
    return this.emails.retry(id);
  }
}
