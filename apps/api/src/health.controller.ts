import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DATABASE_RETRY_AFTER_SECONDS } from '@cc/common';
import { Public } from '@cc/identity';
import { DatabaseHealth, HealthReport, RedisHealth } from './health-checks';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: DatabaseHealth,
    private readonly redis: RedisHealth,
  ) {}

  /**
   * 200 while the database answers, even without Redis: transitions only write to PostgreSQL, and
   * the worker moves their e-mails and deadlines to the queues once Redis is back. 503 without the
   * database, so a load balancer sends requests to another process meanwhile.
   */
  @Public()
  @Get()
  @ApiOkResponse({ description: 'ok, or degraded when only Redis is down' })
  @ApiServiceUnavailableResponse({ description: 'the database does not answer' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const [database, redis] = await Promise.all([this.database.status(), this.redis.status()]);
    const status = database === 'down' ? 'down' : redis === 'down' ? 'degraded' : 'ok';
    reply.header('cache-control', 'no-store');
    if (status === 'down') reply.status(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    return { status, database: { status: database }, redis: { status: redis } };
  }
}
