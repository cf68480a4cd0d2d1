import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { FieldError, NotFound, ValidationFailed } from '@cc/common';
import { queryRows } from '@cc/persistence';
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

  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<SitePage[]> {
    return queryRows<SitePage>(
      this.dataSource,
      `SELECT p.slug, p.title, p.body, p.updated_at AS "updatedAt", u.display_name AS "updatedBy"
         FROM site_pages p LEFT JOIN users u ON u.id = p.updated_by ORDER BY p.position`,
    );
  }

  async get(slug: string): Promise<SitePage> {
    const [page] = isSitePageSlug(slug)
      ? await queryRows<SitePage>(
          this.dataSource,
          `SELECT p.slug, p.title, p.body, p.updated_at AS "updatedAt", u.display_name AS "updatedBy"
             FROM site_pages p LEFT JOIN users u ON u.id = p.updated_by WHERE p.slug = $1`,
          [slug],
        )
      : [];
    if (!page) throw new NotFound('This page', 'PAGE_NOT_FOUND');
    return page;
  }

  /** Refuses an empty or overlong title or text, and links to places a page may not send people. */
  async save(slug: string, input: { title?: unknown; body?: unknown }, byUserId: string): Promise<void> {
    await this.get(slug);
    const parsed = editSchema.safeParse({ title: String(input.title ?? ''), body: String(input.body ?? '') });
    const errors: FieldError[] = parsed.success ? [] : parsed.error.issues.map((i) => ({ field: String(i.path[0]), reason: i.message }));
    if (parsed.success) for (const reason of siteTextProblems(parsed.data.body)) errors.push({ field: 'body', reason });
    if (errors.length || !parsed.success) throw new ValidationFailed(errors);
    await this.dataSource.query(`UPDATE site_pages SET title = $2, body = $3, updated_at = now(), updated_by = $4 WHERE slug = $1`, [
      slug,
      parsed.data.title,
      parsed.data.body.replace(/\r\n?/g, '\n'),
      byUserId,
    ]);
    this.logger.log({ slug, byUserId }, 'Site page updated');
  }
}
