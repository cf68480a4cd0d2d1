import { Module } from '@nestjs/common';
import { IdentityModule } from '@cc/identity';
import { RegistryModule } from '@cc/registry';
import { NotificationsModule } from '@cc/notifications';
import { StatsModule } from '@cc/stats';
import { AdminUploadGuard, CompactImportController } from './admin/compact-import.controller';
import { CompactsPagesController } from './admin/compacts-pages.controller';
import { EmailsPagesController } from './admin/emails-pages.controller';
import { OrganisationsPagesController } from './admin/organisations-pages.controller';
import { UsersPagesController } from './admin/users-pages.controller';
import { StatisticsPagesController } from './statistics/statistics.controller';
import { CaseListsController } from './case-lists/case-lists.controller';
import { ReportController } from './report/report.controller';
import { Renderer } from './renderer';
import { NotFoundPagesController } from './not-found/not-found.controller';
import { SignInController } from './sign-in/sign-in.controller';
import { WebAuthGuard } from './web-auth.guard';
import { WebErrorFilter } from './web-errors';
import { WebSessions } from './web-sessions.service';

/** The pages people use in a browser, over the same use cases as the API. */
@Module({
  imports: [IdentityModule, RegistryModule, NotificationsModule, StatsModule],
  // The not-found catch-all is a wildcard: Fastify tries every other route before it, whatever the order here.
  controllers: [SignInController, ReportController, CaseListsController, NotFoundPagesController,
    CompactsPagesController, CompactImportController, OrganisationsPagesController, UsersPagesController, EmailsPagesController, StatisticsPagesController],
  providers: [Renderer, WebSessions, WebAuthGuard, WebErrorFilter, AdminUploadGuard],
  exports: [Renderer, WebSessions],
})
export class WebModule {}

// For the queue dashboard, mounted outside Nest, to let in an administrator signed in to the pages.
export { WebSessions } from './web-sessions.service';
export { SESSION_COOKIE } from './web-auth.guard';
