import { Injectable } from '@nestjs/common';
import type { CaseEffectContext, CaseEffectHandler, EffectPlan } from '@cc/cases';
import type { CaseEffect } from '@cc/workflows';
import { NotificationWriter } from './notification-writer.service';

/** Turns a transition's `notify` effects into outbox rows, written in the transition's own statement. */
@Injectable()
export class NotificationEffects implements CaseEffectHandler {
  constructor(private readonly writer: NotificationWriter) {}

  async plan(context: CaseEffectContext, effects: CaseEffect[]): Promise<EffectPlan> {
    const contactEmail = context.payload.contactEmail;
    const respondentContact =
      typeof contactEmail === 'string' ? { email: contactEmail, name: typeof context.payload.contactName === 'string' ? context.payload.contactName : null } : undefined;
    const writes = effects.flatMap((effect) =>
      effect.type === 'notify'
        ? [
            this.writer.insertFor({
              template: effect.template,
              audience: effect.audience,
              eventSeq: context.eventSeq,
              details: this.writer.sharedDetails(context.eventType, context.payload),
              respondentContact,
            }),
          ]
        : [],
    );
    return { writes };
  }
}
