import { Module, type Provider, type Type } from '@nestjs/common';
import { casesWithEffects } from '@cc/composition';
import { DeadlinesModule } from '@cc/deadlines';
import { EvidenceModule } from '@cc/evidence';
import * as letters from '@cc/letters';
import { CaseFileController } from './case-file.controller';
import { CaseFileFactsStore } from './make-case-file/case-file-facts.store';
import { LettersSentSource, MakeCaseFile } from './make-case-file/make-case-file';

/**
 * The letters section needs @cc/letters' SentLetters, built in parallel with this library: until
 * that library exports it the case file leaves the section out (and says nothing of letters)
 * rather than failing to start.
 */
const lettersLibrary = letters as unknown as { LettersModule?: Type; SentLetters?: Type };
const lettersModules: Type[] = lettersLibrary.LettersModule && lettersLibrary.SentLetters ? [lettersLibrary.LettersModule] : [];
const lettersProviders: Provider[] = lettersLibrary.SentLetters ? [{ provide: LettersSentSource, useExisting: lettersLibrary.SentLetters }] : [];

/** The case file: one PDF of everything on a case the caller may see, and a ZIP of it with the documents. */
@Module({
  imports: [casesWithEffects(), DeadlinesModule, EvidenceModule, ...lettersModules],
  controllers: [CaseFileController],
  providers: [MakeCaseFile, CaseFileFactsStore, ...lettersProviders],
  exports: [MakeCaseFile],
})
export class CaseFileModule {}
