import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Conflict, NotFound } from '@cc/common';
import { Roles } from '@cc/identity';

const STATUSES = ['pending', 'queued', 'sending', 'sent', 'failed'] as const;

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
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOkResponse({ type: [NotificationView] })
  async list(@Query() query: NotificationsQuery): Promise<NotificationView[]> {
    const rows = await this.dataSource.query(
      `SELECT n.id, c.reference AS "caseReference", n.template, n.recipient_email AS "recipientEmail", n.status, n.attempts,
              n.last_error AS "lastError", n.smtp_response AS "smtpResponse", n.created_at AS "createdAt", n.sent_at AS "sentAt",
              n.failed_at AS "failedAt"
         FROM notifications n JOIN cases c ON c.id = n.case_id
        WHERE n.status = $1 ORDER BY n.created_at DESC LIMIT $2`,
      [query.status ?? 'failed', query.limit ?? 50],
    );
    return rows.map((r: Record<string, unknown>) => ({
      ...r,
      createdAt: (r.createdAt as Date).toISOString(),
      sentAt: r.sentAt ? (r.sentAt as Date).toISOString() : null,
      failedAt: r.failedAt ? (r.failedAt as Date).toISOString() : null,
    })) as NotificationView[];
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiOkResponse({ type: NotificationView })
  async retry(@Param('id', new ParseUUIDPipe()) id: string): Promise<{ id: string; status: string }> {
    const [row] = await this.dataSource.query(
      `WITH retried AS (
         UPDATE notifications SET status = 'pending', failed_at = NULL, relay_count = relay_count + 1 WHERE id = $1 AND status = 'failed' RETURNING id, status)
       SELECT id, status FROM retried`,
      [id],
    );
    if (row) return row;
    const [existing] = await this.dataSource.query(`SELECT status FROM notifications WHERE id = $1`, [id]);
    if (!existing) throw new NotFound(`Notification ${id}`);
    throw new Conflict('NOT_FAILED', `Only failed e-mails can be retried; this one is ${existing.status}.`, { status: existing.status });
  }
}
