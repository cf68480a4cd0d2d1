import { Module } from '@nestjs/common';
import { RegistryModule } from '@cc/registry';
import { CasesCoreModule } from '../cases-core.module';
import { LinkRespondent } from './link-respondent';
import { UnlistedRespondentsController } from './unlisted-respondents.controller';

/**
 * Reports against a public body that is not in the registry: linking the case to the registry at
 * triage.
 */
@Module({
  imports: [RegistryModule, CasesCoreModule],
  controllers: [UnlistedRespondentsController],
  providers: [LinkRespondent],
  exports: [LinkRespondent],
})
export class UnlistedRespondentsModule {}
