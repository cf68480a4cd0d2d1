import { Get, Param, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { READ_LOG_PAGE_SIZE, READ_PART_WORDS, READ_VIA_WORDS, ReadLog, ReadLogPage, STAFF_ROLE_WORDS, readLogPage, readOutcomeWords } from '@cc/audit';
import { CaseAccess } from '@cc/cases';
import { UuidParam } from '@cc/common';
import { ManageUsers } from '@cc/identity';
import { Renderer, humanise } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';
import { pageContext, sendPage } from '../page';

/**
 * The audit of reads, for administrators: who has read a case (GET /cases/:id/reads) and every
 * case a person has read (GET /admin/users/:id/reads). The same as the API's /api/cases/:id/reads
 * and /api/users/:id/reads.
 */
@WebPages()
@PageRoles('administrator')
export class CaseReadsPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly access: CaseAccess,
    private readonly log: ReadLog,
    private readonly users: ManageUsers,
  ) {}

  @Get('cases/:id/reads')
  async ofCase(@CurrentSession() session: WebSession, @Param('id') id: string, @Query('page') page: unknown, @Res() reply: FastifyReply): Promise<void> {
    const seen = await this.access.visible(session.caller, id);
    const reads = await this.log.ofCase(seen.row.id, readLogPage(page));
    const c = { id: seen.row.id, reference: seen.row.reference, title: seen.row.title };
    sendPage(
      reply,
      this.renderer.render(
        'case-reads/case-reads.njk',
        pageContext(session, {
          title: `Who has read ${c.reference}`,
          currentPath: `/cases/${c.id}`,
          c,
          reads: reads.items.map((r) => ({
            userId: r.userId,
            name: r.name,
            role: STAFF_ROLE_WORDS[r.role]?.title ?? humanise(r.role),
            at: r.at,
            what: READ_PART_WORDS[r.what] ?? READ_PART_WORDS.other,
            via: READ_VIA_WORDS[r.via],
            outcome: readOutcomeWords(r.method, r.status),
          })),
          ...pagination(reads, `/cases/${c.id}/reads`),
        }),
      ),
    );
  }

  @Get('admin/users/:id/reads')
  async ofPerson(@CurrentSession() session: WebSession, @UuidParam('id', (id) => `User ${id}`, 'USER_NOT_FOUND') id: string, @Query('page') page: unknown, @Res() reply: FastifyReply): Promise<void> {
    const person = await this.users.get(id);
    const cases = await this.log.ofPerson(id, readLogPage(page));
    sendPage(
      reply,
      this.renderer.render(
        'case-reads/person-reads.njk',
        pageContext(session, {
          title: `Cases ${person.displayName} has read`,
          currentPath: '/admin/users',
          person: { id: person.id, displayName: person.displayName, roleLabel: humanise(person.role), recorded: person.role !== 'reporter' && person.role !== 'respondent' },
          cases: cases.items,
          ...pagination(cases, `/admin/users/${person.id}/reads`),
        }),
      ),
    );
  }
}

/** GOV.UK pagination for a page of the log: numbered pages near this one, previous and next. */
function pagination<T>(page: ReadLogPage<T>, base: string) {
  const href = (n: number) => (n === 1 ? base : `${base}?page=${n}`);
  const numbers = [...new Set([1, page.page - 1, page.page, page.page + 1, page.pages])].filter((n) => n >= 1 && n <= page.pages).sort((a, b) => a - b);
  const items: Array<Record<string, unknown>> = [];
  numbers.forEach((n, i) => {
    if (i > 0 && n - numbers[i - 1] > 1) items.push({ ellipsis: true });
    items.push({ number: n, href: href(n), current: n === page.page });
  });
  return {
    total: page.total,
    from: page.total ? (page.page - 1) * READ_LOG_PAGE_SIZE + 1 : 0,
    to: Math.min(page.total, page.page * READ_LOG_PAGE_SIZE),
    pagination:
      page.pages > 1
        ? {
            items,
            previous: page.page > 1 ? { href: href(page.page - 1) } : undefined,
            next: page.page < page.pages ? { href: href(page.page + 1) } : undefined,
          }
        : null,
  };
}
