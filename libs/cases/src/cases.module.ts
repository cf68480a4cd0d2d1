import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@cc/identity';
import { RegistryModule } from '@cc/registry';
import { CaseLinks } from './links/case-links';
import { CasesController } from './cases.controller';
import { CaseAccess } from './domain/case-access.service';
import { CASE_EFFECT_HANDLERS } from './domain/case-effects';
import { CaseEventEntity } from './domain/case-event.entity';
import { CaseNoteEntity } from './domain/case-note.entity';
import { CaseStore } from './domain/case-store.service';
import { CaseEntity } from './domain/case.entity';
import { FileReport } from './file-report/file-report';
import { CaseViews } from './get-case/case-views.service';
import { CaseListFilters } from './list-cases/case-list-filters';
import { ListCases } from './list-cases/list-cases';
import { CaseNotes } from './notes/notes';
import { SendCaseEvent } from './send-event/send-case-event';
import { CaseTimeline } from './timeline/timeline';

export interface CasesModuleOptions {
  /** Modules whose exports include CASE_EFFECT_HANDLERS (deadlines, notifications). */
  effectHandlerImports?: DynamicModule['imports'];
  effectHandlers?: Provider;
}

/** The breach case: filing, the workflow's events, lists, timeline and notes. */
@Module({})
export class CasesModule {
  static register(options: CasesModuleOptions = {}): DynamicModule {
    return {
      module: CasesModule,
      // Global so that the worker's modules reach SendCaseEvent without importing this module
      // back (this module imports theirs for its effect handlers).
      global: true,
      imports: [
        TypeOrmModule.forFeature([CaseEntity, CaseEventEntity, CaseNoteEntity]),
        IdentityModule,
        RegistryModule,
        ...(options.effectHandlerImports ?? []),
      ],
      controllers: [CasesController],
      providers: [
        CaseAccess,
        CaseStore,
        CaseLinks,
        FileReport,
        ListCases,
        CaseListFilters,
        CaseViews,
        SendCaseEvent,
        CaseTimeline,
        CaseNotes,
        ...(options.effectHandlers ? [options.effectHandlers] : []),
      ],
      exports: [SendCaseEvent, CaseAccess, FileReport, CaseViews, ListCases, CaseListFilters, CaseTimeline, CaseNotes, CaseLinks],
    };
  }
}

export { CASE_EFFECT_HANDLERS };
