import { Module } from '@nestjs/common';
import { RegistryModule } from '@cc/registry';
import { LinkRespondent } from './link-respondent';
import { UnlistedRespondentsController } from './unlisted-respondents.controller';

/**
 * Reports against a public body that is not in the registry: linking the case to the registry at
 * triage. CaseAccess comes from the (global) cases module.
 */
@Module({
  imports: [RegistryModule],
  controllers: [UnlistedRespondentsController],
  providers: [LinkRespondent],
  exports: [LinkRespondent],
})
export class UnlistedRespondentsModule {}
