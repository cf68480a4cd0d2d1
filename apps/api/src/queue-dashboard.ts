import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BoardAdapter } from '@bull-board/fastify';
import { INestApplication, Logger } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailability, databaseUnavailableBody, logDatabaseUnavailable } from '@cc/common';
import { BearerAuthentication } from '@cc/identity';
import { Renderer, SESSION_COOKIE, WebSessions } from '@cc/web';
import { DEADLINES_QUEUE, EMAIL_QUEUE } from '@cc/queues';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';
/** How long a dashboard request waits to learn whether the queues' Redis connection is up. */
const READY_CHECK_MS = 250;
const RETRY_AFTER_SECONDS = 30;

const logger = new Logger('QueueDashboard');

/**
 * The BullMQ dashboard for administrators. Every request under it must come from an administrator:
 * by bearer token, or by the pages' session cookie (so the link on the pages opens it). A cookie
 * alone does not carry a change (retrying or removing a job) from another site: those must come
 * from this origin. The dashboard is for looking at queues; the database stays the record.
 */
export async function mountQueueDashboard(app: INestApplication, fastify: FastifyInstance): Promise<void> {
  const bullQueues = dashboardQueues(app);
  const queues = bullQueues.map((queue) => new BullMQAdapter(queue));
  const board = new BoardAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues, serverAdapter: board });
  const bearer = app.get(BearerAuthentication);
  const sessions = app.get(WebSessions);
  const renderer = app.get(Renderer);
  await fastify.register(
    async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        const header = request.headers.authorization;
        if (!header) {
          let session: Awaited<ReturnType<WebSessions['resume']>>;
          try {
            session = await sessions.resume((request as { cookies?: Record<string, string | undefined> }).cookies?.[SESSION_COOKIE]);
          } catch (err) {
            const outage = databaseUnavailability(err);
            if (!outage) throw err;
            logDatabaseUnavailable(logger, err, request);
            return unavailable(request, reply, renderer, databaseUnavailableBody(outage).message as string, DATABASE_RETRY_AFTER_SECONDS);
          }
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
          const { caller, step } = await bearer.fromHeader(header);
          if (caller.role !== 'administrator' || step) {
            return reply.code(403).send({ statusCode: 403, code: 'ROLE_NOT_ALLOWED', message: 'The queue dashboard is for administrators.' });
          }
        } catch (err) {
          const outage = databaseUnavailability(err);
          if (outage) return unavailable(request, reply, renderer, databaseUnavailableBody(outage).message as string, DATABASE_RETRY_AFTER_SECONDS);
          return reply.code(401).send({ statusCode: 401, code: 'UNAUTHENTICATED', message: "Send an administrator's bearer token from POST /api/auth/login." });
        }
        // Every dashboard view asks Redis; while it is away those commands would wait for it to
        // come back (BullMQ queues them), so the page would hang. Say so at once instead.
        if (!request.url.startsWith(`${QUEUE_DASHBOARD_PATH}/static/`) && !(await redisReady(bullQueues))) {
          return unavailable(
            request,
            reply,
            renderer,
            'The queue dashboard needs Redis, which is not answering just now. Deadlines and e-mails are safe in the database: the worker queues them again when Redis is back. Try again in a minute.',
            RETRY_AFTER_SECONDS,
          );
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

/** Whether the queues' Redis connection is up now (not merely configured or reconnecting). */
async function redisReady(queues: Queue[]): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    // A queue's client resolves once its connection has been ready; before that it waits.
    const clients = await Promise.race([
      Promise.all(queues.map((queue) => queue.getBackend().client)),
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), READY_CHECK_MS))),
    ]);
    return !!clients && clients.every((client) => client.status === 'ready');
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** 503 with a plain message: a page for a browser, the API's error body for anything else. */
function unavailable(request: FastifyRequest, reply: FastifyReply, renderer: Renderer, message: string, retryAfterSeconds: number) {
  reply.code(503).header('retry-after', String(retryAfterSeconds)).header('cache-control', 'no-store');
  if (request.method === 'GET' && /text\/html/.test(request.headers.accept ?? '')) {
    const html = renderer.render('error.njk', { title: 'The queue dashboard is unavailable for now', advice: message, status: 503, navigation: [] });
    return reply.type('text/html; charset=utf-8').send(html);
  }
  return reply.send({ statusCode: 503, code: 'SERVICE_UNAVAILABLE', message, retryAfterSeconds });
}

function dashboardQueues(app: INestApplication): Queue[] {
  return [DEADLINES_QUEUE, EMAIL_QUEUE].map((name) => app.get<Queue>(getQueueToken(name)));
}

/**
 * The API's queues exist for this dashboard. Their connection reports every failed reconnect as an
 * 'error' event; with no listener BullMQ prints each as a stack. One warning when Redis goes
 * away (and at most one a minute while it stays away) and one line when it is back are enough.
 * A provider that needs the queues (below) runs this as soon as they are made, before their first
 * connection attempt can fail; once another listener logs the queue's errors, this one stays quiet.
 */
export function watchQueueConnections(queues: Queue[]): void {
  let down = false;
  let lastWarnedAt = 0;
  let missed = 0;
  for (const queue of queues) {
    queue.on('error', (err: Error) => {
      const now = Date.now();
      const othersLog = queue.listenerCount('error') > 1;
      if (othersLog || (down && now - lastWarnedAt < 60_000)) {
        down = true;
        missed++;
        return;
      }
      logger.warn({ queue: queue.name, redisError: { code: (err as { code?: string }).code, message: err.message }, repeatsSinceLastWarning: missed }, 'Redis does not answer; the queue dashboard is unavailable until it does');
      down = true;
      lastWarnedAt = now;
      missed = 0;
    });
    queue
      .getBackend()
      .client.then((client) => {
        const onReady = () => {
          if (!down) return;
          down = false;
          logger.log({ queue: queue.name }, 'Redis answers again');
        };
        onReady();
        client.on('ready', onReady);
      })
      .catch(() => undefined);
  }
}

/** For the API module: attaches watchQueueConnections to the queues the moment they exist. */
export const QUEUE_CONNECTION_WATCH = {
  provide: 'QUEUE_CONNECTION_WATCH',
  inject: [getQueueToken(DEADLINES_QUEUE), getQueueToken(EMAIL_QUEUE)],
  useFactory: (...queues: Queue[]) => watchQueueConnections(queues),
};
