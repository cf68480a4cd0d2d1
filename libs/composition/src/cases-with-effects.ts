import type { DynamicModule } from '@nestjs/common';
import { CASE_EFFECT_HANDLERS, CasesModule } from '@cc/cases';
import { DeadlineEffects, DeadlinesModule } from '@cc/deadlines';
import { NotificationEffects, NotificationsModule } from '@cc/notifications';

/**
 * The case module with what its transitions must write in the same transaction: deadlines and
 * outgoing e-mails. Composed here, in the apps, so the libraries import one another one way only.
 * Built once: Nest tells dynamic modules apart by reference, so every module that imports this
 * (the apps, the pages, the deadline worker) shares one instance and one of each provider.
 */
const CASES_WITH_EFFECTS: DynamicModule = CasesModule.register({
  effectHandlerImports: [DeadlinesModule, NotificationsModule],
  effectHandlers: {
    provide: CASE_EFFECT_HANDLERS,
    inject: [DeadlineEffects, NotificationEffects],
    useFactory: (deadlines: DeadlineEffects, notifications: NotificationEffects) => [deadlines, notifications],
  },
});

export function casesWithEffects(): DynamicModule {
  return CASES_WITH_EFFECTS;
}
