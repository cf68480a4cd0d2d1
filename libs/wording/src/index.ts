/**
 * The service's words, defined once for the pages (libs/web) and the e-mails (libs/notifications):
 * what states, stages, deadlines, outcomes, rejection reasons and mediation results are called,
 * how long things take (from the workflow's constants), and how money and dates are written.
 * Pure: no I/O, no Nest.
 */
export * from './formats';
export * from './periods';
export * from './readers';
export * from './states';
export * from './deadlines';
export * from './outcomes';
export * from './inbound-mail';
export * from './events';
