/** The breach case workflow: everything the service layer may use. */
export * from './events';
export * from './effects';
export { ON_EXPIRY, REMINDER_NOTICE, type DeadlineNotice, type DeadlineNoticeAudience, type DeadlineNoticeTemplate, type ExpiryConsequence } from './expiry';
export type {
  BreachCaseContext,
  BreachCaseInput,
  CaseOutcome,
  CaseRejection,
  ExtensionRequest,
  MediationFee,
  MediationSession,
  RejectionReview,
  SessionProposal,
} from './context';
export { RULES, REOPEN_WINDOW_DAYS, REVIEW_WINDOW_WORKING_DAYS, feeShares, type RuleName, type RuleDefinition } from './rules';
export * as breachCaseRules from './rules';
export { breachCaseMachineV1, breachCaseSetup, deadlineEndStatus, CHASE_WORKING_DAYS, MACHINE_ID, SESSION_REMINDER_LEAD_MS } from './machine.v1';
export { breachCaseMachineV2, VERSION_2_CONTEXT_DEFAULTS, VERSION_2_EVENT_TYPES, type ExtendDeadlineParams } from './machine.v2';
export { planMoveToVersion2, type MovePlan } from './move-to-version-2';
export {
  ALL_EVENT_TYPES,
  BREACH_CASE_MACHINES,
  LATEST_BREACH_CASE_VERSION,
  breachCaseRegistry,
  createWorkflow,
  createWorkflowRegistry,
  guardNamesOf,
  workflowFor,
  type BreachCaseWorkflow,
  type CaseStateView,
  type Decision,
  type StageName,
  type WorkflowRegistry,
} from './workflow';
export { availableActions, isSystemEvent, mayRequest, type CallerRelation, type Role } from './policy';
export { REAL_DATE_REASON, REAL_DATE_TIME_REASON, isRealDate, isRealDateTime } from './date-rules';
