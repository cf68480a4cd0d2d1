// Personal data as UK GDPR expects: retention, legal holds, subject access and erasure.
export * from './data-protection.module';
export * from './retention/retention-schedule';
export * from './retention/retention-runner';
export { REMOVED_TEXT, REMOVED_FILE_NAME } from './anonymise/case-anonymiser';
export * from './legal-hold/legal-holds';
export * from './erase-person/erase-person';
export { erasureLabel } from './erase-person/person-erasure';
export * from './subject-access';
