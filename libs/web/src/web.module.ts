import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@cc/identity';
import { RegistryModule } from '@cc/registry';
import { NotificationsModule } from '@cc/notifications';
import { StatsModule } from '@cc/stats';
import { DeadlinesModule } from '@cc/deadlines';
import { EvidenceModule } from '@cc/evidence';
import { InboundMailModule } from '@cc/inbound-mail';
import { casesWithEffects } from '@cc/composition';
import { AuditModule } from '@cc/audit';
import { CaseReadsPagesController } from './case-reads/case-reads-pages.controller';
import { MediationFeeModule, MoveToVersion2Module, ReportDraftsModule, UnlistedRespondentsModule } from '@cc/cases';
import { DataProtectionModule, SubjectAccessModule } from '@cc/data-protection';
import { ErasurePagesController } from './retention/erasure-pages.controller';
import { LegalHoldPagesController } from './retention/legal-hold-pages.controller';
import { RetentionPagesController } from './retention/retention-pages.controller';
import { DataRequestsPagesController } from './data-requests/data-requests-pages.controller';
import { CaseFileModule } from '@cc/case-file';
import { CaseFilePagesController } from './case-file/case-file-pages.controller';
import { CasePageController } from './case-work/case-page.controller';
import { CasePageData } from './case-work/case-page.service';
import { EvidenceUploadPageController } from './case-work/evidence-upload.controller';
import { PeopleChoicesLookup } from './case-work/people-choices';
import { WorkQueuesController } from './case-work/work-queues.controller';
import { ConfirmationsController } from './case-work/confirmations.controller';
import { CasePages } from './case-work/case-pages';
import { EvidenceSharingController } from './case-work/evidence-sharing.controller';
import { RespondentCaseData } from './respondent/respondent-case.service';
import { RespondentPagesController } from './respondent/respondent-pages.controller';
import { FeeInstructionsController } from './admin/fee-instructions.controller';
import { ProcessVersionsController } from './admin/process-versions.controller';
import { WorkflowController } from './workflow/workflow.controller';
import { CompactImportController } from './admin/compact-import.controller';
import { CompactsPagesController } from './admin/compacts-pages.controller';
import { EmailsPagesController } from './admin/emails-pages.controller';
import { OrganisationsPagesController } from './admin/organisations-pages.controller';
import { UsersPagesController } from './admin/users-pages.controller';
import { SitePagesAdminController } from './admin/site-pages-pages.controller';
import { SignInLocksPagesController } from './admin/sign-in-locks-pages.controller';
import { SitePagesController } from './site-pages/site-pages.controller';
import { SiteTextBlocks } from './site-pages/site-text-blocks';
import { SitePageEntity } from './site-pages/site-page.entity';
import { SitePages } from './site-pages/site-pages.store';
import { StatisticsPagesController } from './statistics/statistics.controller';
import { CaseListsController } from './case-lists/case-lists.controller';
import { ReportController } from './report/report.controller';
import { ReportEvidenceController } from './report/report-evidence.controller';
import { ReportStepPages } from './report/report-steps.page';
import { ReportDrafts } from './report/report-drafts.store';
import { UnlistedBodyPagesController } from './unlisted-bodies/unlisted-body-pages.controller';
import { Renderer } from './renderer';
import { NotFoundPagesController } from './not-found/not-found.controller';
import { SignInController } from './sign-in/sign-in.controller';
import { SignInLinkController } from './sign-in/sign-in-link.controller';
import { RespondentContactsPagesController } from './respondent-contacts/respondent-contacts-pages.controller';
import { PageSignInSteps } from './sign-in/sign-in-steps.page';
import { AccountPagesController } from './account/account-pages.controller';
import { TwoFactorPagesController } from './two-factor/two-factor-pages.controller';
import { TwoFactorAdminPagesController } from './two-factor/two-factor-admin-pages.controller';
import { MailToSortPagesController } from './mail-to-sort/mail-to-sort-pages.controller';
import { WebAuthGuard } from './web-auth.guard';
import { LettersModule } from '@cc/letters';
import { LetterPagesController } from './letters/letter-pages.controller';
import { LetterTemplatesPagesController } from './letters/letter-templates-pages.controller';
import { WebErrorFilter } from './web-errors';
import { WebSessions } from './web-sessions.service';

/** The pages people use in a browser, over the same use cases as the API. */
@Module({
  // The pages drive the same case use cases as the API: the one composed case module.
  imports: [casesWithEffects(), TypeOrmModule.forFeature([SitePageEntity]), IdentityModule, RegistryModule, NotificationsModule, StatsModule, DeadlinesModule, EvidenceModule, UnlistedRespondentsModule, ReportDraftsModule, MediationFeeModule, MoveToVersion2Module, LettersModule, InboundMailModule, AuditModule, DataProtectionModule, SubjectAccessModule, CaseFileModule],
  // The not-found catch-all is a wildcard: Fastify tries every other route before it, whatever the order here.
  controllers: [SignInController, SignInLinkController, RespondentContactsPagesController, AccountPagesController, TwoFactorPagesController, TwoFactorAdminPagesController, ReportController, ReportEvidenceController, CaseListsController, NotFoundPagesController,
    CompactsPagesController, CompactImportController, OrganisationsPagesController, UsersPagesController, EmailsPagesController, SignInLocksPagesController, SitePagesAdminController, SitePagesController, StatisticsPagesController,
    CasePageController, EvidenceUploadPageController, UnlistedBodyPagesController, WorkQueuesController, WorkflowController, ConfirmationsController, FeeInstructionsController,
    ProcessVersionsController, RespondentPagesController, EvidenceSharingController, LetterPagesController, LetterTemplatesPagesController, CaseReadsPagesController,
    MailToSortPagesController, RetentionPagesController, LegalHoldPagesController, ErasurePagesController, DataRequestsPagesController,
    CaseFilePagesController],
  providers: [Renderer, WebSessions, PageSignInSteps, WebAuthGuard, WebErrorFilter, CasePageData, CasePages, RespondentCaseData, PeopleChoicesLookup, ReportStepPages, ReportDrafts, SitePages, SiteTextBlocks],
  exports: [Renderer, WebSessions, PageSignInSteps],
})
export class WebModule {}

// For the queue dashboard, mounted outside Nest, to let in an administrator signed in to the pages.
export { WebSessions } from './web-sessions.service';
export { SESSION_COOKIE } from './web-auth.guard';
