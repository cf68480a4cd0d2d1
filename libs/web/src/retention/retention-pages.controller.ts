import { Body, Get, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { NotFound } from '@cc/common';
import { LegalHolds, PERIOD_UNITS, RETENTION_KINDS, RETENTION_WORDS, RetentionKind, RetentionRunner, RetentionSchedule, periodWords } from '@cc/data-protection';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import { WebSession, WebSessions } from '../web-sessions.service';
import { pageContext, redirect, sendPage } from '../page';
import { setFlash, takeFlash } from '../admin/admin-page';

/** What the run does to each kind, counted: "3 closed cases anonymised". */
const DONE_WORDS: Record<RetentionKind, (n: number) => string> = {
  closedCases: (n) => `${n} closed ${n === 1 ? 'case' : 'cases'} anonymised`,
  signInRecords: (n) => `${n} sign-in ${n === 1 ? 'record' : 'records'} deleted`,
  auditEntries: (n) => `${n} ${n === 1 ? 'record' : 'records'} of who read what deleted`,
  unsentReportDocuments: (n) => `${n} ${n === 1 ? 'document' : 'documents'} for reports never sent deleted`,
  unusedAccounts: (n) => `${n} unused ${n === 1 ? 'account' : 'accounts'} closed and erased`,
  inboundMail: (n) => `${n} unsorted or automatic ${n === 1 ? 'message' : 'messages'} deleted`,
};

const WILL_WORDS: Record<RetentionKind, (n: number) => string> = {
  closedCases: (n) => `${n} closed ${n === 1 ? 'case' : 'cases'} will be anonymised`,
  signInRecords: (n) => `${n} sign-in ${n === 1 ? 'record' : 'records'} will be deleted`,
  auditEntries: (n) => `${n} ${n === 1 ? 'record' : 'records'} of who read what will be deleted`,
  unsentReportDocuments: (n) => `${n} ${n === 1 ? 'document' : 'documents'} for reports never sent will be deleted`,
  unusedAccounts: (n) => `${n} unused ${n === 1 ? 'account' : 'accounts'} will be closed and erased`,
  inboundMail: (n) => `${n} unsorted or automatic ${n === 1 ? 'message' : 'messages'} will be deleted`,
};

const MAX_YEARS = 100;

/** /admin/retention: the schedule, what the last runs did, what the next run will do, and the cases on hold. */
@WebPages('admin')
@PageRoles('administrator')
export class RetentionPagesController {
  constructor(
    private readonly renderer: Renderer,
    private readonly sessions: WebSessions,
    private readonly schedule: RetentionSchedule,
    private readonly runner: RetentionRunner,
    private readonly holds: LegalHolds,
  ) {}

  @Get('retention')
  async show(@CurrentSession() session: WebSession, @Res() reply: FastifyReply): Promise<void> {
    const [periods, runs, plan, held] = await Promise.all([this.schedule.list(), this.runner.recentRuns(3), this.runner.plan(), this.holds.inForce()]);
    sendPage(
      reply,
      this.renderer.render(
        'retention/retention.njk',
        pageContext(session, {
          title: 'Retention of personal data',
          currentPath: '/admin/retention',
          flash: await takeFlash(this.sessions, session),
          rules: periods.map((p) => ({ ...p, ...RETENTION_WORDS[p.kind], period: periodWords(p.count, p.unit) })),
          runs: runs.map((r) => ({
            ...r,
            lines: RETENTION_KINDS.map((k) => DONE_WORDS[k](r.counts[k] ?? 0)),
          })),
          next: plan.kinds.map((k) => ({ kind: k.kind, count: k.count, text: WILL_WORDS[k.kind](k.count), cutoff: k.cutoff })),
          nothingNext: plan.kinds.every((k) => k.count === 0),
          firstCases: plan.firstCases,
          heldCases: plan.heldCases,
          held,
        }),
      ),
    );
  }

  @Get('retention/:kind')
  async edit(@CurrentSession() session: WebSession, @Param('kind') kind: string, @Res() reply: FastifyReply): Promise<void> {
    const rule = await this.rule(kind);
    const years = rule.unit === 'months' && rule.count % 12 === 0;
    this.editPage(reply, session, rule.kind, { count: String(years ? rule.count / 12 : rule.count), unit: years ? 'years' : rule.unit });
  }

  @Post('retention/:kind')
  async save(@CurrentSession() session: WebSession, @Param('kind') kind: string, @Body() form: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const rule = await this.rule(kind);
    const values = { count: typeof form?.count === 'string' ? form.count : '', unit: typeof form?.unit === 'string' ? form.unit : '' };
    const unit = values.unit === 'years' ? 'months' : values.unit;
    const number = /^\s*\d{1,6}\s*$/.test(values.count) ? Number(values.count) : NaN;
    const limit = values.unit === 'years' ? MAX_YEARS : values.unit === 'months' ? MAX_YEARS * 12 : MAX_YEARS * 365;
    const errors: Array<{ text: string; href: string }> = [];
    if (!(PERIOD_UNITS as readonly string[]).includes(unit)) errors.push({ text: 'Choose days, months or years', href: '#period-unit' });
    if (!values.count.trim()) errors.push({ text: 'Enter how long it is kept', href: '#period-count' });
    else if (!Number.isInteger(number) || number < 1) errors.push({ text: 'How long it is kept must be a whole number, like 6', href: '#period-count' });
    else if (errors.length === 0 && number > limit) errors.push({ text: `How long it is kept must be ${MAX_YEARS} years or less`, href: '#period-count' });
    if (errors.length) return this.editPage(reply, session, rule.kind, values, errors);
    const count = values.unit === 'years' ? number * 12 : number;
    const saved = await this.schedule.set(rule.kind, { count, unit: unit as 'days' | 'months' }, session.caller.userId);
    await setFlash(this.sessions, session, `${RETENTION_WORDS[saved.kind].what} are now kept for ${periodWords(saved.count, saved.unit)} ${RETENTION_WORDS[saved.kind].after}. The next run uses the new period.`);
    redirect(reply, '/admin/retention');
  }

  private async rule(kind: string) {
    const rule = (await this.schedule.list()).find((p) => p.kind === kind);
    if (!rule) throw new NotFound(`Retention rule ${kind}`, 'RETENTION_KIND_NOT_FOUND');
    return rule;
  }

  private editPage(reply: FastifyReply, session: WebSession, kind: RetentionKind, values: { count: string; unit: string }, errors: Array<{ text: string; href: string }> = []): void {
    const fieldError = (href: string) => errors.find((e) => e.href === href);
    sendPage(
      reply,
      this.renderer.render(
        'retention/period-edit.njk',
        pageContext(session, {
          title: `How long to keep: ${RETENTION_WORDS[kind].what.toLowerCase()}`,
          currentPath: '/admin/retention',
          kind,
          words: RETENTION_WORDS[kind],
          values,
          errorList: errors.length ? errors : undefined,
          countError: fieldError('#period-count') ? { text: fieldError('#period-count')!.text } : undefined,
          unitError: fieldError('#period-unit') ? { text: fieldError('#period-unit')!.text } : undefined,
        }),
      ),
      errors.length ? 400 : 200,
    );
  }
}
