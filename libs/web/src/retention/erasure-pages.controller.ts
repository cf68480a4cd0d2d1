import { Body, Get, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@cc/common';
import { ErasePerson, ErasureCounts, ErasureRefusal } from '@cc/data-protection';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';
import { pageContext, sendPage } from '../page';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const ROLE_WORDS: Record<string, string> = {
  reporter: 'a reporter',
  caseworker: 'a caseworker',
  mediator: 'a mediator',
  administrator: 'an administrator',
  respondent: 'a public body’s contact',
};

/** What an erasure changes, as lines an administrator reads before confirming. */
function changeLines(c: ErasureCounts): string[] {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return [
    c.account ? 'Their account is closed, they are signed out everywhere, and their name and e-mail address are removed from it' : null,
    c.contactRecords ? `${plural(c.contactRecords, 'public body contact record', 'public body contact records')} lose their name and address` : null,
    c.casesNamedOn ? `${plural(c.casesNamedOn, 'case names', 'cases name')} them: the case stays, with the label instead of their name` : null,
    c.textsMentioning ? `${plural(c.textsMentioning, 'text mentions', 'texts mention')} their name or address: it is replaced by the label` : null,
    c.emails ? `${plural(c.emails, 'e-mail', 'e-mails')} sent to them lose their address` : null,
    c.inboundMail ? `${plural(c.inboundMail, 'message', 'messages')} from them are emptied, keeping only that a message came` : null,
  ].filter((l): l is string => !!l);
}

/**
 * /admin/erasure: erase a person on request. Enter the address, see what would change (or why it
 * cannot be done now), and confirm. Helper SAR's requests link here with ?email=.
 */
@WebPages('admin')
@PageRoles('administrator')
export class ErasurePagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly erasePerson: ErasePerson,
  ) {}

  @Get('erasure')
  async start(@CurrentSession() session: WebSession, @Query('email') email: unknown, @Res() reply: FastifyReply): Promise<void> {
    if (email === undefined || email === '') return this.page(reply, session, { email: '' });
    const address = typeof email === 'string' ? email.trim() : '';
    if (!EMAIL.test(address) || address.length > 320) return this.page(reply, session, { email: typeof email === 'string' ? email : '', error: 'Enter an e-mail address in the correct format, like name@example.com' }, 400);
    const preview = await this.erasePerson.preview(address, session.caller);
    return this.page(reply, session, {
      email: address,
      preview: {
        ...preview,
        who: preview.role ? ROLE_WORDS[preview.role] ?? 'a person' : 'someone without an account',
        lines: changeLines(preview.changes),
      },
    });
  }

  @Post('erasure')
  async erase(@CurrentSession() session: WebSession, @Body() form: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const address = typeof form?.email === 'string' ? form.email.trim() : '';
    if (!EMAIL.test(address) || address.length > 320) return this.page(reply, session, { email: address, error: 'Enter an e-mail address in the correct format, like name@example.com' }, 400);
    if (form?.confirm !== 'yes') {
      const preview = await this.erasePerson.preview(address, session.caller);
      return this.page(reply, session, { email: address, preview: { ...preview, who: preview.role ? ROLE_WORDS[preview.role] ?? 'a person' : 'someone without an account', lines: changeLines(preview.changes) }, confirmError: 'Confirm that this person is to be erased' }, 400);
    }
    try {
      const done = await this.erasePerson.erase(session.caller, address);
      sendPage(reply, this.renderer.render('retention/erasure-done.njk', pageContext(session, { title: 'The person was erased', currentPath: '/admin/retention', label: done.label, lines: changeLines(done.changed) })));
    } catch (err) {
      if (!(err instanceof DomainError) || (err.kind !== 'conflict' && err.kind !== 'notFound')) throw err;
      const preview = await this.erasePerson.preview(address, session.caller);
      const refusals = (err.details.refusals as ErasureRefusal[] | undefined) ?? preview.refusals;
      return this.page(reply, session, { email: address, preview: { ...preview, refusals, who: preview.role ? ROLE_WORDS[preview.role] ?? 'a person' : 'someone without an account', lines: changeLines(preview.changes) } }, err.kind === 'conflict' ? 409 : 404);
    }
  }

  private page(reply: FastifyReply, session: WebSession, view: Record<string, unknown> & { email: string; error?: string; confirmError?: string }, status = 200): void {
    const errorList = [
      ...(view.error ? [{ text: view.error, href: '#erasure-email' }] : []),
      ...(view.confirmError ? [{ text: view.confirmError, href: '#erasure-confirm' }] : []),
    ];
    sendPage(
      reply,
      this.renderer.render('retention/erasure.njk', pageContext(session, { title: 'Erase a person', currentPath: '/admin/retention', ...view, errorList: errorList.length ? errorList : undefined })),
      status,
    );
  }
}
