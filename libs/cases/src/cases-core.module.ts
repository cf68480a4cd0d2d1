import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaseAccess } from './domain/case-access.service';
import { CaseEntity } from './domain/case.entity';

/**
 * Who may see a case: the one piece of the case module that the modules its transitions write
 * through (deadlines) and those beside it (evidence, unlisted bodies) need. Apart from the rest so
 * they can import it without importing the case module, which imports deadlines for its effects.
 */
@Module({
  imports: [TypeOrmModule.forFeature([CaseEntity])],
  providers: [CaseAccess],
  exports: [CaseAccess],
})
export class CasesCoreModule {}
