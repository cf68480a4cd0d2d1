import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaseAccess, CaseEntity } from '@cc/cases';
import { DeadlinePolicies } from './deadline-policy.service';
import { DeadlineEffects } from './deadline-effects.handler';
import { DeadlinesController } from './deadlines.controller';

/** The API side: transitions start, pause, resume and end clocks; people see where they stand. */
@Module({
  // CaseAccess is provided here too (it is stateless) because the cases module imports this one
  // for its effect handler; importing the cases module back would make a cycle.
  imports: [TypeOrmModule.forFeature([CaseEntity])],
  controllers: [DeadlinesController],
  providers: [DeadlinePolicies, DeadlineEffects, CaseAccess],
  exports: [DeadlineEffects, DeadlinePolicies],
})
export class DeadlinesModule {}
