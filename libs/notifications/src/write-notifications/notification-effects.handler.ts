import { Injectable } from '@nestjs/common';
import type { CaseEffectContext, CaseEffectHandler, EffectPlan } from '@cc/cases';
import type { CaseEffect } from '@cc/workflows';
import { NotificationWriter } from './notification-writer.service';
import { NOTICE_CLOCK, plannedDue } from './planned-clocks';

/** Turns a transition's `notify` effects into outbox rows, written in the transition's own statement. */
@Injectable()
export class NotificationEffects implements CaseEffectHandler {
  constructor(private readonly writer: NotificationWriter) {}

  async plan(context: CaseEffectContext, effects: CaseEffect[]): Promise<EffectPlan> {
    const { contactEmail, contactName, contactIds } = context.payload;
    const respondentContact = typeof contactEmail === 'string' ? { email: contactEmail, name: typeof contactName === 'string' ? contactName : null } : undefined;
    const respondentContactIds = Array.isArray(contactIds) ? contactIds.filter((id): id is string => typeof id === 'string') : undefined;
    const writes = effects.flatMap((effect) => {
      if (effect.type !== 'notify') return [];
      const kind = NOTICE_CLOCK[effect.template];

      return [
        this.writer.insertFor({
          template: effect.template,
          audience: effect.audience,
          eventSeq: context.eventSeq,
          details: this.writer.sharedDetails(context.eventType, context.payload),
          respondentContact,
          respondentContactIds,
          clock: kind ? { kind, dueAt: plannedDue(context, kind) } : undefined,
        }),
      ];
    });
    return { writes };
  }
}
