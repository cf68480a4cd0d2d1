import { Module } from '@nestjs/common';
import { CasesCoreModule } from '@cc/cases';
import { EvidenceModule } from '@cc/evidence';
import { IdentityModule } from '@cc/identity';
import { LetterTemplatesController } from './manage-templates/letter-templates.controller';
import { LetterTemplates } from './manage-templates/letter-templates';
import { LetterFacts } from './merge-fields/letter-facts';
import { SentLetters } from './sent-letters/sent-letters';
import { CaseLettersController } from './write-letter/case-letters.controller';
import { LetterComposer } from './write-letter/letter-composer';
import { WriteLetter } from './write-letter/send-letter';

/** Letters: templates kept by administrators, and letters written from them on a case, sent once and kept. */
@Module({
  imports: [CasesCoreModule, EvidenceModule, IdentityModule],
  controllers: [LetterTemplatesController, CaseLettersController],
  providers: [LetterTemplates, LetterFacts, LetterComposer, WriteLetter, SentLetters],
  exports: [LetterTemplates, LetterComposer, WriteLetter, SentLetters],
})
export class LettersModule {}
