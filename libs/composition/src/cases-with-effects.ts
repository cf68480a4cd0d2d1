import { CASE_EFFECT_HANDLERS, CasesModule } from '@cc/cases';
import { DeadlineEffects, DeadlinesModule } from '@cc/deadlines';
import { NotificationEffects, NotificationsModule } from '@cc/notifications';

/**
 * The case module with what its transitions must write in the same transaction: deadlines and
 * outgoing e-mails. Composed here, in the apps, so the libraries import one another one way only.
 */
export function casesWithEffects() {
  return CasesModule.register({
    effectHandlerImports: [DeadlinesModule, NotificationsModule],
    effectHandlers: {
      provide: CASE_EFFECT_HANDLERS,
      inject: [DeadlineEffects, NotificationEffects],
      useFactory: (deadlines: DeadlineEffects, notifications: NotificationEffects) => [deadlines, notifications],
    },
  });
}
