// Who read what: every staff read of a case, recorded in batches so a request never waits for it.
export * from './audit.module';
export * from './record-reads/read-entry';
export * from './record-reads/read-audit';
export * from './read-log/read-log';
export * from './read-log/case-visibility';
export * from './read-words';
