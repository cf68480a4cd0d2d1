import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { join } from 'node:path';
import { GOVUK_FRONTEND_DIST, projectRoot } from './renderer';

/**
 * GOV.UK Frontend's CSS, JavaScript, fonts and images, and our few additions, served by Fastify
 * itself (no Nest route, no guard): they are the same for everyone.
 */
export async function mountWebAssets(fastify: FastifyInstance): Promise<void> {
  const cacheFor = { maxAge: '1d', immutable: false };
  // The stylesheet asks for /assets/fonts/... and /assets/images/...
  await fastify.register(fastifyStatic, { root: join(GOVUK_FRONTEND_DIST, 'govuk', 'assets'), prefix: '/assets/', decorateReply: false, ...cacheFor, index: false });
  await fastify.register(fastifyStatic, {
    root: join(GOVUK_FRONTEND_DIST, 'govuk'),
    prefix: '/assets/govuk/',
    decorateReply: false,
    index: false,
    ...cacheFor,
    allowedPath: (path) => /^\/govuk-frontend\.min\.(css|js)(\.map)?$/.test(path),
  });
  await fastify.register(fastifyStatic, { root: join(projectRoot(), 'libs', 'web', 'assets'), prefix: '/assets/app/', decorateReply: false, index: false, ...cacheFor });
}
