import type { FastifyReply } from 'fastify';
import type { FieldError } from '@cc/common';
import type { WebSession } from './web-sessions.service';

/** What every page template gets: who is signed in, their navigation, and the session's CSRF token. */
export function pageContext(session: WebSession | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { session, user: session?.user, csrfToken: session?.csrfToken, navigation: session && !session.pendingStep ? navigationFor(session.user.role) : [], ...extra };
}

export function navigationFor(role: WebSession['user']['role']): Array<{ href: string; text: string }> {
  switch (role) {
    case 'reporter':
      return [
        { href: '/cases', text: 'Our cases' },
        { href: '/report', text: 'Report a breach' },
        { href: '/statistics', text: 'Statistics' },
      ];
    case 'caseworker':
      return [
        { href: '/triage', text: 'Triage queue' },
        { href: '/cases', text: 'All cases' },
        { href: '/deadlines', text: 'Deadlines' },
        { href: '/public-bodies', text: 'Public bodies' },
        { href: '/statistics', text: 'Statistics' },
        { href: '/workflow', text: 'Workflow' },
      ];
    case 'respondent':
      return [{ href: '/cases', text: 'Your cases' }];
    case 'mediator':
      return [
        { href: '/mediations', text: 'My mediations' },
        { href: '/workflow', text: 'Workflow' },
      ];
    case 'administrator':
      // Every page staff use, then every administration page: an administrator sees everything.
      // (The queue dashboard is linked from the failed e-mails page: it needs JavaScript.)
      return [
        { href: '/triage', text: 'Triage queue' },
        { href: '/cases', text: 'Cases' },
        { href: '/cases?stage=mediation', text: 'Mediations' },
        { href: '/deadlines', text: 'Deadlines' },
        { href: '/statistics', text: 'Statistics' },
        { href: '/workflow', text: 'Workflow' },
        { href: '/admin/compacts', text: 'Compacts' },
        { href: '/admin/organisations', text: 'Organisations' },
        { href: '/public-bodies', text: 'Public bodies' },
        { href: '/admin/users', text: 'Users' },
        { href: '/admin/emails', text: 'Failed e-mails' },
        { href: '/admin/sign-in-locks', text: 'Sign-in locks' },
        { href: '/admin/fee-instructions', text: 'Fee payment' },
        { href: '/admin/letter-templates', text: 'Letter templates' },
        { href: '/admin/site-pages', text: 'Footer pages' },
        { href: '/admin/process-versions', text: 'Process versions' },
      ];
  }
}

/** GOV.UK error summary items and a per-field lookup, from the API's field errors. */
export function errorView(errors: FieldError[], fieldIds: Record<string, string> = {}, prefixLabel = true) {
  const text = (e: FieldError) => (prefixLabel ? `${labelFor(e.field)} ${e.reason}`.trim() : e.reason);
  const list = errors.map((e) => ({ text: text(e), href: `#${fieldIds[e.field] ?? e.field.replace(/\./g, '-')}` }));
  const byField: Record<string, { text: string }> = {};
  for (const e of errors) byField[e.field] ??= { text: text(e) };
  return { errorList: list, fieldErrors: byField };
}

function labelFor(field: string): string {
  const last = field.split('.').pop() ?? field;
  const words = last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function sendPage(reply: FastifyReply, html: string, status = 200): void {
  reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

export function redirect(reply: FastifyReply, to: string): void {
  reply.status(303).header('location', to).send();
}

/** Only same-site paths, so ?next= cannot send someone to another site after signing in. */
export function safeNext(next: unknown): string | undefined {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : undefined;
}
