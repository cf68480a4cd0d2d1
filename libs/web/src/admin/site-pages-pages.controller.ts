import { Body, Get, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ValidationFailed } from '@cc/common';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { errorView, pageContext, redirect, sendPage } from '../page';
import { SitePages } from '../site-pages/site-pages.store';
import { SiteTextBlocks } from '../site-pages/site-text-blocks';
import { setFlash, takeFlash } from './admin-page';

type Form = Record<string, string | undefined>;

/** What each footer page is for, to remind whoever edits it what it must say. */
const PURPOSE: Record<string, string> = {
  accessibility: 'How accessible the website is, what is known not to be, and how to report a problem. Keep the dates of the last test true.',
  privacy: 'What personal data the service holds, why, who sees it, how long it is kept and people’s rights. Check it with your data protection officer, and add your lawful basis.',
  cookies: 'The cookies the website sets. Today it sets only the session cookie and, on the sign-in page, one for the form’s check.',
  help: 'How to get help or give feedback. Put the e-mail address people should write to.',
};

/** Administrators keep the footer's pages (accessibility, privacy, cookies, help) true. */
@WebPages('admin')
@PageRoles('administrator')
export class SitePagesAdminController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly pages: SitePages,
    private readonly text: SiteTextBlocks,
  ) {}

  @Get('site-pages')
  async list(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const pages = await this.pages.list();
    sendPage(
      reply,
      this.renderer.render(
        'admin/site-pages.njk',
        pageContext(session, { title: 'Footer pages', currentPath: '/admin/site-pages', pages: pages.map((p) => ({ ...p, purpose: PURPOSE[p.slug] })), flash: await takeFlash(this.sessions, session) }),
      ),
    );
  }

  @Get('site-pages/:slug')
  async editForm(@CurrentSession() session: WebSession, @Param('slug') slug: string, @Res() reply: FastifyReply): Promise<void> {
    const page = await this.pages.get(slug);
    await this.renderEdit(reply, session, page, { title: page.title, body: page.body });
  }

  @Post('site-pages/:slug')
  async save(@CurrentSession() session: WebSession, @Param('slug') slug: string, @Body() form: Form, @Res() reply: FastifyReply): Promise<void> {
    const page = await this.pages.get(slug);
    try {
      await this.pages.save(slug, { title: form.title, body: form.body }, session.user.id);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      return this.renderEdit(reply, session, page, form, errorView(err.errors, {}, false), 400);
    }
    await setFlash(this.sessions, session, `${(form.title ?? '').trim()} saved. It shows on the website now.`);
    redirect(reply, '/admin/site-pages');
  }

  private async renderEdit(reply: FastifyReply, session: WebSession, page: { slug: string; title: string }, form: Form, errors: Record<string, unknown> = {}, status = 200): Promise<void> {
    const preview = await this.text.of(form.body ?? '');
    sendPage(
      reply,
      this.renderer.render(
        'admin/site-page-edit.njk',
        pageContext(session, {
          title: `Edit ${page.title}`,
          currentPath: '/admin/site-pages',
          page,
          purpose: PURPOSE[page.slug],
          form,
          // What the page will look like, from the text as it is in the form (saved or not).
          preview,
          ...errors,
        }),
      ),
      status,
    );
  }
}
