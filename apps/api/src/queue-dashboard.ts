import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { TokenService } from '@cc/identity';
import { DEADLINES_QUEUE, EMAIL_QUEUE } from '@cc/queues';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * The BullMQ dashboard for administrators. Every request under it must carry an administrator's
 * bearer token; the dashboard is for looking at queues, the database stays the record.
 */
export async function mountQueueDashboard(app: INestApplication, fastify: FastifyInstance): Promise<void> {
  const queues = [DEADLINES_QUEUE, EMAIL_QUEUE].map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name))));
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues, serverAdapter: board });
  const tokens = app.get(TokenService);
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        const header = request.headers.authorization;
        try {
          if (!header?.startsWith('Bearer ')) throw new Error('no token');
          const caller = tokens.verify(header.slice(7).trim());
          if (caller.role !== 'administrator') {
            return reply.code(403).send({ statusCode: 403, code: 'ROLE_NOT_ALLOWED', message: 'The queue dashboard is for administrators.' });
          }
        } catch {
          return reply.code(401).send({ statusCode: 401, code: 'UNAUTHENTICATED', message: "Send an administrator's bearer token from POST /api/auth/login." });
        }
      });
      await scope.register(board.registerPlugin(), { prefix: QUEUE_DASHBOARD_PATH });
    },
  );
}
