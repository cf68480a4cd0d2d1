import { Controller, UseFilters, UseGuards, applyDecorators } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@cc/identity';
import { WebAuthGuard } from './web-auth.guard';
import { WebErrorFilter } from './web-errors';

/** Where page routes live inside the app; requests for any non-API path are rewritten here (see webUrlRewrite). */
export const WEB_ROUTE_PREFIX = 'web';

/**
 * A controller of pages: signed in by session cookie rather than bearer token, CSRF-checked,
 * errors shown as pages, and left out of the API's OpenAPI document.
 */
export function WebPages(path = ''): ClassDecorator {
  return applyDecorators(ApiExcludeController(), Public(), Controller(path ? `${WEB_ROUTE_PREFIX}/${path}` : WEB_ROUTE_PREFIX), UseGuards(WebAuthGuard), UseFilters(WebErrorFilter));
}

/**
 * The API answers under /api; everything else a browser asks for is a page. Fastify rewrites page
 * URLs to /api/web/... before routing, so the two never collide (both have a "cases", say).
 */
export function webUrlRewrite(url: string): string {
  if (url.startsWith('/api/') || url === '/api' || url.startsWith('/assets/') || url.startsWith('/admin/queues')) return url;
  return `/api/${WEB_ROUTE_PREFIX}${url === '/' ? '' : url.startsWith('/?') ? url.slice(1) : url}`;
}
