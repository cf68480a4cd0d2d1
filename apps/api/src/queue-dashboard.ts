import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { INestApplication } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { TokenService } from '@cc/identity';
import { SESSION_COOKIE, WebSessions } from '@cc/web';
import { DEADLINES_QUEUE, EMAIL_QUEUE } from '@cc/queues';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * The BullMQ dashboard for administrators. Every request under it must come from an administrator:
 * by bearer token, or by the pages' session cookie (so the link on the pages opens it). A cookie
 * alone does not carry a change (retrying or removing a job) from another site: those must come
 * from this origin. The dashboard is for looking at queues; the database stays the record.
 */
export async function mountQueueDashboard(app: INestApplication, fastify: FastifyInstance): Promise<void> {
  const queues = [DEADLINES_QUEUE, EMAIL_QUEUE].map((name) => new BullMQAdapter(app.get<Queue>(getQueueToken(name))));
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues, serverAdapter: board });
  const tokens = app.get(TokenService);
  const sessions = app.get(WebSessions);
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        const header = request.headers.authorization;
        if (!header) {
          const session = await sessions.resume((request as { cookies?: Record<string, string | undefined> }).cookies?.[SESSION_COOKIE]);
          if (session) {
            if (session.user.role !== 'administrator') {
              return reply.code(403).send({ statusCode: 403, code: 'ROLE_NOT_ALLOWED', message: 'The queue dashboard is for administrators.' });
            }
            if (request.method !== 'GET' && request.method !== 'HEAD' && !sameOrigin(request.headers)) {
              return reply.code(403).send({ statusCode: 403, code: 'CROSS_SITE_REQUEST', message: 'Changes to the queues must come from the dashboard itself.' });
            }
            return;
          }
          if (request.method === 'GET' && /text\/html/.test(request.headers.accept ?? '')) {
            return reply.code(303).header('location', `/sign-in?next=${encodeURIComponent(request.url)}`).send();
          }
        }
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

/** Whether a browser says the request came from a page of this site. */
function sameOrigin(headers: Record<string, string | string[] | undefined>): boolean {
  if (headers['sec-fetch-site'] === 'same-origin') return true;
  const origin = headers.origin;
  if (typeof origin !== 'string' || typeof headers.host !== 'string') return false;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}
