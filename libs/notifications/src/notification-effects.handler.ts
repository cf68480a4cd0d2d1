import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { CaseEffectContext, CaseEffectHandler } from '@cc/cases';
import type { CaseEffect } from '@cc/workflows';
import { NotificationWriter } from './notification-writer.service';

/** Turns a transition's `notify` effects into outbox rows, in the transition's transaction. */
@Injectable()
export class NotificationEffects implements CaseEffectHandler {
  constructor(private readonly writer: NotificationWriter) {}

  async handle(manager: EntityManager, context: CaseEffectContext, effects: CaseEffect[]): Promise<void> {
    for (const effect of effects) {
      if (effect.type !== 'notify') continue;
      await this.writer.write(manager, {
        caseId: context.caseId,
        template: effect.template,
        audience: effect.audience,
        eventSeq: context.eventSeq,
        details: this.writer.sharedDetails(context.eventType, context.payload),
      });
    }
  }
}
