import { DynamicModule, Module, ModuleMetadata, Type } from '@nestjs/common';
import { ReadAudit } from './record-reads/read-audit';
import { ReadAuditStore } from './record-reads/read-audit.store';
import { ReadLog } from './read-log/read-log';
import { CASE_VISIBILITY, CaseVisibility } from './read-log/case-visibility';
import { CaseReadsController } from './read-log/case-reads.controller';

/** Recording reads (one buffer for the process) and reading the record back. Not global: who records or reads imports it. */
@Module({
  providers: [ReadAudit, ReadAuditStore, ReadLog],
  exports: [ReadAudit, ReadLog],
})
export class AuditModule {}

/**
 * The audit's API routes. They check the case through the cases library's access, which the audit
 * cannot import (cases is above it), so the API hands it in:
 * `ReadLogApiModule.forRoot({ imports: [CasesCoreModule], visibility: CaseAccess })`.
 */
@Module({})
export class ReadLogApiModule {
  static forRoot(options: { imports: NonNullable<ModuleMetadata['imports']>; visibility: Type<CaseVisibility> }): DynamicModule {
    return {
      module: ReadLogApiModule,
      imports: [AuditModule, ...options.imports],
      controllers: [CaseReadsController],
      providers: [{ provide: CASE_VISIBILITY, useExisting: options.visibility }],
    };
  }
}
