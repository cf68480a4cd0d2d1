import { Module } from '@nestjs/common';
import { casesWithEffects } from '@cc/composition';
import { DeadlinesModule } from '@cc/deadlines';
import { EvidenceModule } from '@cc/evidence';
import { LettersModule, SentLetters } from '@cc/letters';
import { CaseFileController } from './case-file.controller';
import { CaseFileFactsStore } from './make-case-file/case-file-facts.store';
import { LettersSentSource, MakeCaseFile } from './make-case-file/make-case-file';

/** The case file: one PDF of everything on a case the caller may see, and a ZIP of it with the documents. */
@Module({
  imports: [casesWithEffects(), DeadlinesModule, EvidenceModule, LettersModule],
  controllers: [CaseFileController],
  // The letters sent come from the letters library, which decides who may see which letter.
  providers: [MakeCaseFile, CaseFileFactsStore, { provide: LettersSentSource, useExisting: SentLetters }],
  exports: [MakeCaseFile],
})
export class CaseFileModule {}
