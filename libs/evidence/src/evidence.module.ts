import { join } from 'node:path';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CasesCoreModule } from '@cc/cases';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { IdentityModule } from '@cc/identity';
import { EvidenceEntity } from './domain/evidence.entity';
import { DownloadEvidence } from './download-evidence/download-evidence';
import { EvidenceController } from './evidence.controller';
import { ListEvidence } from './list-evidence/list-evidence';
import { DiskEvidenceStorage } from './storage/disk-evidence-storage';
import { EvidenceStorage } from './storage/evidence-storage';
import { UploadEvidence } from './upload-evidence/upload-evidence';
import { EvidenceFromMail } from './upload-evidence/evidence-from-mail';
import { ShareEvidence } from './share-evidence/share-evidence';

/** Documents attached to cases; who may see them is who may see the case (CaseAccess). */
@Module({
  imports: [TypeOrmModule.forFeature([EvidenceEntity]), IdentityModule, CasesCoreModule],
  controllers: [EvidenceController],
  providers: [
    { provide: EvidenceStorage, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new DiskEvidenceStorage(join(config.DATA_DIR, 'evidence')) },
    UploadEvidence,
    ListEvidence,
    DownloadEvidence,
    ShareEvidence,
    EvidenceFromMail,
  ],
  exports: [EvidenceStorage, UploadEvidence, ListEvidence, DownloadEvidence, ShareEvidence, EvidenceFromMail],
})
export class EvidenceModule {}
