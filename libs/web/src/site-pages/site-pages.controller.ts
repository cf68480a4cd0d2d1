import { Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { pageContext, sendPage } from '../page';
import { Renderer } from '../renderer';
import { CurrentSession, OpenPage } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';
import { SitePageSlug, SitePages } from './site-pages.store';
import { SiteTextBlocks } from './site-text-blocks';

/** The footer's pages, open to anyone, signed in or not, in the words administrators gave them. */
@WebPages()
export class SitePagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly pages: SitePages,
    private readonly text: SiteTextBlocks,
  ) {}

  @Get('accessibility')
  @OpenPage()
  accessibility(@CurrentSession() session: WebSession | undefined, @Res() reply: FastifyReply): Promise<void> {
    return this.show('accessibility', session, reply);
  }

  @Get('privacy')
  @OpenPage()
  privacy(@CurrentSession() session: WebSession | undefined, @Res() reply: FastifyReply): Promise<void> {
    return this.show('privacy', session, reply);
  }

  @Get('cookies')
  @OpenPage()
  cookies(@CurrentSession() session: WebSession | undefined, @Res() reply: FastifyReply): Promise<void> {
    return this.show('cookies', session, reply);
  }

  @Get('help')
  @OpenPage()
  help(@CurrentSession() session: WebSession | undefined, @Res() reply: FastifyReply): Promise<void> {
    return this.show('help', session, reply);
  }

  private async show(slug: SitePageSlug, session: WebSession | undefined, reply: FastifyReply): Promise<void> {
    const page = await this.pages.get(slug);
    sendPage(reply, this.renderer.render('site-pages/page.njk', pageContext(session, { title: page.title, currentPath: `/${slug}`, page, blocks: await this.text.of(page.body) })));
  }
}
