import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { z } from 'zod';
import { FieldError, NotFound, ValidationFailed } from '@cc/common';
import { SitePageEntity } from './site-page.entity';
import { siteTextProblems } from './site-text';

/** The pages the footer links to, in the footer's order; the table's check allows only these. */
export const SITE_PAGE_SLUGS = ['accessibility', 'privacy', 'cookies', 'help'] as const;
export type SitePageSlug = (typeof SITE_PAGE_SLUGS)[number];

export interface SitePage {
  slug: SitePageSlug;
  title: string;
  body: string;
  updatedAt: Date;
  updatedBy: string | null;
}

export function isSitePageSlug(slug: string): slug is SitePageSlug {
  return (SITE_PAGE_SLUGS as readonly string[]).includes(slug);
}

const editSchema = z.object({
  title: z.string().trim().min(1, 'Enter the page’s title').max(120, 'The title must be 120 characters or fewer'),
  body: z.string().trim().min(1, 'Enter the text of the page').max(20000, 'The text must be 20,000 characters or fewer'),
});

/** The footer pages' text: read by anyone, changed by administrators (each change is recorded with who made it). */
@Injectable()
export class SitePages {
  private readonly logger = new Logger(SitePages.name);

  constructor(@InjectRepository(SitePageEntity) private readonly pages: Repository<SitePageEntity>) {}

  async list(): Promise<SitePage[]> {
    const rows = await this.pages.find({ relations: { updater: true }, order: { position: 'ASC' } });
    return rows.map(toSitePage);
  }

  async get(slug: string): Promise<SitePage> {
    const page = isSitePageSlug(slug) ? await this.pages.findOne({ where: { slug }, relations: { updater: true } }) : null;
    if (!page) throw new NotFound('This page', 'PAGE_NOT_FOUND');
    return toSitePage(page);
  }

  /** Refuses an empty or overlong title or text, and links to places a page may not send people. */
  async save(slug: string, input: { title?: unknown; body?: unknown }, byUserId: string): Promise<void> {
    await this.get(slug);
    const parsed = editSchema.safeParse({ title: String(input.title ?? ''), body: String(input.body ?? '') });
    const errors: FieldError[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ field: String(i.path[0]), reason: i.message }));
    if (parsed.success) for (const reason of siteTextProblems(parsed.data.body)) errors.push({ field: 'body', reason });
    if (errors.length || !parsed.success) throw new ValidationFailed(errors);
    await this.pages.update({ slug }, { title: parsed.data.title, body: parsed.data.body.replace(/\r\n?/g, '\n'), updatedAt: () => 'now()', updatedById: byUserId });
    this.logger.log({ slug, byUserId }, 'Site page updated');
  }
}

function toSitePage(row: SitePageEntity): SitePage {
  return { slug: row.slug as SitePageSlug, title: row.title, body: row.body, updatedAt: row.updatedAt, updatedBy: row.updater?.displayName ?? null };
}
