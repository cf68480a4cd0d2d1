import { DynamicModule, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@cc/identity';
import { RegistryModule } from '@cc/registry';
import { CasesCoreModule } from './cases-core.module';
import { CaseLinks } from './links/case-links';
import { CasesController } from './cases.controller';
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
import { MoveToVersion2Module } from './move-to-version-2/move-to-version-2.module';

export interface CasesModuleOptions {
  /** Modules whose exports include CASE_EFFECT_HANDLERS (deadlines, notifications). */
  effectHandlerImports?: DynamicModule['imports'];
  effectHandlers?: Provider;
}

/**
 * The breach case: filing, the workflow's events, lists, timeline and notes. Not global: whoever
 * uses these imports the one instance composed with its effect handlers (`casesWithEffects()` in
 * @cc/composition); who needs only CaseAccess imports CasesCoreModule, which this re-exports.
 */
@Module({})
export class CasesModule {
  static register(options: CasesModuleOptions = {}): DynamicModule {
    return {
      module: CasesModule,
      imports: [
        CasesCoreModule,
        TypeOrmModule.forFeature([CaseEntity, CaseEventEntity, CaseNoteEntity]),
        IdentityModule,
        RegistryModule,
        MoveToVersion2Module,
        ...(options.effectHandlerImports ?? []),
      ],
      controllers: [CasesController],
      providers: [
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
      exports: [CasesCoreModule, SendCaseEvent, FileReport, CaseViews, ListCases, CaseListFilters, CaseTimeline, CaseNotes, CaseLinks],
    };
  }
}

export { CASE_EFFECT_HANDLERS, CasesCoreModule };
