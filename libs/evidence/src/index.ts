export * from './evidence.module';
export * from './domain/evidence.entity';
export * from './domain/evidence.dto';
export * from './storage/evidence-storage';
export * from './storage/disk-evidence-storage';
export * from './content/sniff-content';
