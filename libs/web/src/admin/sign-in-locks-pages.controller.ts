import { Body, Get, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@cc/common';
import { SignInThrottle, ThrottleLock, ThrottleScope } from '@cc/identity';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { pageContext, redirect, sendPage } from '../page';
import { setFlash, takeFlash } from './admin-page';

/** What each scope holds back, as the start of a sentence. */
const WHAT: Record<ThrottleScope, { held: string; tries: (n: number) => string }> = {
  password: { held: 'signing in', tries: (n) => `${n} failed ${n === 1 ? 'attempt' : 'attempts'}` },
  reset: { held: 'asking for a password reset link', tries: (n) => `${n} ${n === 1 ? 'request' : 'requests'}` },
  'second-factor': { held: 'entering a security code', tries: (n) => `${n} failed ${n === 1 ? 'code' : 'codes'}` },
};

const LONDON_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' });
const LONDON_TIME = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'Europe/London' });
const LONDON_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/** "2:32 pm today", "9:05 am tomorrow" or "2:32 pm on 5 December 2026", in England's time. */
export function whenInWords(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const day = LONDON_DAY.format(at);
  const tomorrow = LONDON_DAY.format(new Date(now.getTime() + 24 * 3600_000));
  const time = LONDON_TIME.format(at);
  if (day === LONDON_DAY.format(now)) return `${time} today`;
  if (day === tomorrow) return `${time} tomorrow`;
  return `${time} on ${LONDON_DATE.format(at)}`;
}

/** A lock as a sentence: "Account jo@example.org — signing in locked until 2:32 pm today after 20 failed attempts". */
export function lockInWords(lock: ThrottleLock, now = new Date()): { who: string; text: string } {
  const who = `${lock.kind === 'account' ? 'Account' : 'Address'} ${lock.subject}`;
  const what = WHAT[lock.scope];
  const text = lock.lockedUntil
    ? `${what.held.charAt(0).toUpperCase()}${what.held.slice(1)} locked until ${whenInWords(lock.lockedUntil, now)} after ${what.tries(lock.failures)}`
    : `${what.held.charAt(0).toUpperCase()}${what.held.slice(1)} has to wait until ${whenInWords(lock.allowedFrom, now)} before the next try, after ${what.tries(lock.failures)}`;
  return { who, text };
}

/** Administrators see who is locked out of signing in (or made to wait) and let them try again. */
@WebPages('admin')
@PageRoles('administrator')
export class SignInLocksPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly throttle: SignInThrottle,
  ) {}

  @Get('sign-in-locks')
  async list(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const now = new Date();
    const locks = (await this.throttle.locks()).map((lock) => ({ ...lock, ...lockInWords(lock, now) }));
    sendPage(
      reply,
      this.renderer.render(
        'admin/sign-in-locks.njk',
        pageContext(session, { title: 'Sign-in locks', currentPath: '/admin/sign-in-locks', locks, flash: await takeFlash(this.sessions, session) }),
      ),
    );
  }

  @Post('sign-in-locks/clear')
  async clear(@CurrentSession() session: WebSession, @Body() form: Record<string, string | undefined>, @Res() reply: FastifyReply): Promise<void> {
    let flash: string;
    try {
      const cleared = await this.throttle.clear(form?.scope, form?.key, session.user.id);
      flash = `${lockInWords(cleared).who} can try again now.`;
    } catch (err) {
      // Another administrator cleared it, or it ran out, between the list and the click.
      if (!(err instanceof DomainError && err.kind === 'notFound')) throw err;
      flash = 'That lock had already ended or been cleared, so there was nothing to do.';
    }
    await setFlash(this.sessions, session, flash);
    redirect(reply, '/admin/sign-in-locks');
  }
}
