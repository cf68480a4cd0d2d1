import { Body, Get, Param, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@cc/common';
import { ListEvidence, ShareEvidence } from '@cc/evidence';
import { CaseAccess, CaseViews } from '@cc/cases';
import { Renderer } from '../renderer';
import { CurrentSession, PageRoles } from '../web-auth.guard';
import { WebPages } from '../web-pages.decorator';
import type { WebSession } from '../web-sessions.service';
import { pageContext, redirect, sendPage } from '../page';
import type { FormBody } from './action-forms';

/** The confirmation a caseworker gives before sharing a reporter's document when the reporter is not named. */
export const IDENTITY_CHECK_LABEL = 'I have checked this document does not say who reported';

/**
 * A caseworker chooses which documents the public body sees. A reporter's document, when the
 * reporter asked not to be named, is shared only after the caseworker confirms they checked it
 * does not give the organisation away (the evidence library refuses it otherwise).
 */
@WebPages('cases')
@PageRoles('caseworker', 'administrator')
export class EvidenceSharingController {
  constructor(
    private readonly renderer: Renderer,
    private readonly access: CaseAccess,
    private readonly views: CaseViews,
    private readonly evidence: ListEvidence,
    private readonly share: ShareEvidence,
  ) {}

  @Get(':id/evidence/:evidenceId/share')
  async confirmPage(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('evidenceId') evidenceId: string, @Res() reply: FastifyReply): Promise<void> {
    await this.page(reply, session, id, evidenceId);
  }

  @Post(':id/evidence/:evidenceId/share')
  async setShared(@CurrentSession() session: WebSession, @Param('id') id: string, @Param('evidenceId') evidenceId: string, @Body() body: FormBody, @Res() reply: FastifyReply): Promise<void> {
    const shared = String(body.shared ?? 'true') !== 'false';
    const checked = String(body.checkedForIdentity ?? '') === 'true';
    try {
      await this.share.execute(session.caller, id, evidenceId, { shared, checkedForIdentity: checked || undefined });
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind === 'notFound') throw err;
      if (err.code === 'IDENTITY_CHECK_NEEDED') {
        // Asked from the case page's button, or the box left unticked: the check comes first.
        const text = body.fromConfirmation ? `Confirm that you have checked the document does not say who reported` : undefined;
        return this.page(reply, session, id, evidenceId, text, text ? 400 : 200);
      }
      throw err;
    }
    redirect(reply, `/cases/${id}?done=${shared ? 'shared' : 'unshared'}#evidence`);
  }

  private async page(reply: FastifyReply, session: WebSession, id: string, evidenceId: string, error?: string, status = 200): Promise<void> {
    const seen = await this.access.visible(session.caller, id);
    const [detail, files] = await Promise.all([this.views.detailOf(seen), this.evidence.of(seen)]);
    const file = files.find((e) => e.id === evidenceId);
    if (!file) return redirect(reply, `/cases/${detail.id}#evidence`);
    sendPage(
      reply,
      this.renderer.render('case-work/share-evidence.njk', {
        ...pageContext(session, { title: `Share a document with the public body: ${detail.reference}`, currentPath: `/cases/${detail.id}` }),
        c: detail,
        file,
        checkLabel: IDENTITY_CHECK_LABEL,
        errorList: error ? [{ text: error, href: '#checkedForIdentity' }] : undefined,
        fieldErrors: error ? { checkedForIdentity: { text: error } } : {},
      }),
      status,
    );
  }
}
