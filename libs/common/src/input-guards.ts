import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable, catchError, throwError } from 'rxjs';
import { databaseRefusal } from './database-refusals';
import { FieldError, ValidationFailed } from './domain-error';

/**
 * Checks every request makes before any endpoint sees it, so that input PostgreSQL or a validator
 * cannot take is refused with a 400 naming the field, not answered with a 500:
 *
 * - a NUL character (PostgreSQL's text and jsonb refuse U+0000) or a lone UTF-16 surrogate (half
 *   of a character: it would be stored as U+FFFD, silently changing the text) in any string of
 *   the body, the query string or the route, or in a field name;
 * - a body nested deeper than MAX_BODY_DEPTH (class-validator recurses once per level and a few
 *   thousand levels overflow its stack);
 * - a JSON body that is not an object (null, a list, a bare string or number): every endpoint
 *   takes an object, and several read fields from the body before validating it.
 *
 * One walk over the parsed input, without recursion, so its cost is linear in the body's size
 * whatever its shape.
 */

/** Far deeper than any body the API takes (a Compact with its rules is under 10 levels). */
export const MAX_BODY_DEPTH = 32;
/** How many problems are reported at most; one is enough to act on, a few help a client fix them all. */
const MAX_REPORTED = 20;

export const NUL_REASON = 'must not contain the control character NUL (U+0000)';
export const SURROGATE_REASON = 'contains a broken character (a lone surrogate: half of a UTF-16 pair)';
export const TOO_DEEP_REASON = `is nested too deeply: at most ${MAX_BODY_DEPTH} levels of objects and lists`;
export const NOT_AN_OBJECT_REASON = 'the body must be a JSON object, such as { "name": "..." }';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a piece of text cannot be stored as it is, or null when it can. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return NUL_REASON;
  if (LONE_SURROGATE.test(text)) return SURROGATE_REASON;
  return null;
}

/**
 * Every problem in a parsed value, by field path. `root` names the value itself: `(body)`, whose
 * fields are named on their own (`items.2.name`), or a query parameter, whose parts are named
 * under it (`tag.1`). A field name that is itself broken is reported at the object that holds it.
 */
export function inputProblems(value: unknown, root: string, maxDepth = MAX_BODY_DEPTH): FieldError[] {
  const problems: FieldError[] = [];
  const pathOf = (path: string) => path || root;
  const start = root.startsWith('(') ? '' : root;
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: start, depth: 0 }];
  while (stack.length > 0 && problems.length < MAX_REPORTED) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      const reason = textProblem(item.value);
      if (reason) problems.push({ field: pathOf(item.path), reason });
      continue;
    }
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= maxDepth) {
      // Deeper still is the same fault; once is enough, and the rest is not walked.
      problems.push({ field: root, reason: TOO_DEEP_REASON });
      break;
    }
    const entries = Array.isArray(item.value) ? item.value.map((v, i) => [String(i), v] as const) : Object.entries(item.value);
    // Pushed in reverse so that problems are found in the order they appear.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i];
      const path = item.path ? `${item.path}.${key}` : key;
      const keyReason = textProblem(key);
      if (keyReason) {
        problems.push({ field: pathOf(item.path), reason: `has a field name that ${keyReason}` });
        continue;
      }
      stack.push({ value: child, path, depth: item.depth + 1 });
    }
  }
  return problems;
}

/** The request as far as these checks need it. */
interface InspectedRequest {
  body?: unknown;
  query?: unknown;
  params?: unknown;
  headers: Record<string, string | string[] | undefined>;
  isMultipart?: () => boolean;
}

/** The problems of a whole request: route, query string and body. */
export function requestProblems(request: InspectedRequest): FieldError[] {
  const problems: FieldError[] = [];
  for (const [name, value] of Object.entries((request.params as Record<string, unknown>) ?? {})) problems.push(...inputProblems(value, name, 2));
  for (const [name, value] of Object.entries((request.query as Record<string, unknown>) ?? {})) {
    const reason = textProblem(name);
    if (reason) problems.push({ field: '(query string)', reason: `has a parameter name that ${reason}` });
    else problems.push(...inputProblems(value, name, 4));
  }
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  const isJson = /^application\/(?:[\w.+-]+\+)?json\b/.test(contentType);
  if (isJson && request.body !== undefined && (request.body === null || typeof request.body !== 'object' || Array.isArray(request.body))) {
    problems.push({ field: '(body)', reason: NOT_AN_OBJECT_REASON });
  }
  problems.push(...inputProblems(request.body, '(body)'));
  return problems;
}

/**
 * Applies the checks to every request that reaches a controller, API and pages alike. An
 * interceptor, not a Fastify hook, so that a refusal goes through the same exception filters as
 * any other (a page's error comes back as a page); it runs before the pipes, so before
 * class-validator sees a body. A value PostgreSQL refused on the way out becomes the same 400 here,
 * so pages show it as a page too (the API's filter has the same net for what happens elsewhere).
 */
@Injectable()
export class InputGuardInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const problems = requestProblems(context.switchToHttp().getRequest<InspectedRequest>());
      if (problems.length > 0) throw new ValidationFailed(problems);
    }
    return next.handle().pipe(catchError((error: unknown) => throwError(() => databaseRefusal(error) ?? error)));
  }
}
