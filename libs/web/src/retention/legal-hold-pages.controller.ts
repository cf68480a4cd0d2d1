import { Body, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@cc/common';
import { HOLD_REASON_MAX_LENGTH, LegalHolds } from '@cc/data-protection';
import { CasePages } from '../case-work/case-pages';
import { plain, refusal } from '../case-work/case-page.controller';
import type { FormBody } from '../case-work/action-forms';
import { CurrentSession } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';
import { redirect } from '../page';

/** POST /cases/:id/legal-hold and /cases/:id/legal-hold/lift: the hold form on the staff case page. */
@WebPages('cases')
export class LegalHoldPagesController {
  constructor(
    private readonly holds: LegalHolds,
    private readonly pages: CasePages,
  ) {}

  @Post(':id/legal-hold')
  place(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    return this.change(session, id, body, reply, 'place');
  }

  @Post(':id/legal-hold/lift')
  lift(@CurrentSession() session: WebSession, @Param('id') id: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    return this.change(session, id, body, reply, 'lift');
  }

  private async change(session: WebSession, id: string, body: FormBody, reply: FastifyReply, what: 'place' | 'lift'): Promise<void> {
    const reason = String(body.reason ?? '').trim();
    const values = { reason: String(body.reason ?? '') };
    const ids = { reason: 'legal-hold-reason-input' };
    const problem = !reason
      ? what === 'place'
        ? 'Enter why the case must be kept'
        : 'Enter why the hold can be lifted'
      : reason.length > HOLD_REASON_MAX_LENGTH
        ? `The reason must be ${HOLD_REASON_MAX_LENGTH.toLocaleString('en-GB')} characters or fewer`
        : null;
    if (problem) return this.pages.render(reply, session, id, refusal('legal-hold', plain([{ field: 'reason', reason: problem }], ids), values), 400);
    try {
      const view = what === 'place' ? await this.holds.place(session.caller, id, reason) : await this.holds.lift(session.caller, id, reason);
      redirect(reply, `/cases/${view.caseId}#legal-hold`);
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound') throw err;
      const text =
        err.kind === 'forbidden'
          ? 'Only caseworkers and administrators can put a case on legal hold or lift it.'
          : what === 'place'
            ? 'The case is already on legal hold.'
            : 'The case is not on legal hold any more. Someone else may have lifted it.';
      return this.pages.render(reply, session, id, refusal('legal-hold', plain([{ field: 'reason', reason: text }], ids), values), err.kind === 'forbidden' ? 403 : 409);
    }
  }
}
