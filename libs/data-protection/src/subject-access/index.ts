export * from '../subject-access.module';
export * from '../requests/data-protection-requests';
export * from '../requests/request-words';
export * from '../requests/carry-out-erasure';
export * from './gather-personal-data';
export * from './personal-data';
export { ANOTHER_PERSON } from './redaction';
