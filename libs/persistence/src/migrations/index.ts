import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { DeadlinesAndNotifications1764100000000 } from './1764100000000-deadlines-and-notifications';
import { CompactRegistry1764200000000 } from './1764200000000-compact-registry';
import { Evidence1764250000000 } from './1764250000000-evidence';
import { Statistics1764300000000 } from './1764300000000-statistics';
import { WebSessions1764400000000 } from './1764400000000-web-sessions';
import { HeldEvidence1764500000000 } from './1764500000000-held-evidence';
import { TableUpkeep1764600000000 } from './1764600000000-table-upkeep';
import { EmailLeases1764700000000 } from './1764700000000-email-leases';
import { ReportDraftsAndUnlistedBodies1764800000001 } from './1764800000001-report-drafts-and-unlisted-bodies';
import { FeePaymentInstructions1764810000000 } from './1764810000000-fee-payment-instructions';
import { SitePages1764820000000 } from './1764820000000-site-pages';
import { CaseSearch1764830000000 } from './1764830000000-case-search';
import { CaseSearchWords1764830000001 } from './1764830000001-case-search-words';
import { SignInThrottle1764850000000 } from './1764850000000-sign-in-throttle';
import { AccountSecurity1764860000000 } from './1764860000000-account-security';
import { TwoFactor1764870000000 } from './1764870000000-two-factor';
import { CasesUnassignedList1764880000100 } from './1764880000100-cases-unassigned-list';
import { CasesAssigneeStageList1764890000000 } from './1764890000000-cases-assignee-stage-list';
import { RespondentSide1764900000000 } from './1764900000000-respondent-side';
import { Letters1764910000000 } from './1764910000000-letters';
import { InboundMail1764920000000 } from './1764920000000-inbound-mail';
import { InboundMailProcessing1764920000001 } from './1764920000001-inbound-mail-processing';
import { ReadAudit1764940000000 } from './1764940000000-read-audit';
import { Retention1764950000000 } from './1764950000000-retention';
import { SubjectAccess1764960000000 } from './1764960000000-subject-access';
import { PrivacyRetentionPeriods1764970000000 } from './1764970000000-privacy-retention-periods';
import { DataRequestExtension1764980000000 } from './1764980000000-data-request-extension';

/** Every migration, in order. Listed as classes so that compiled and test runs load the same set. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  DeadlinesAndNotifications1764100000000,
  CompactRegistry1764200000000,
  Evidence1764250000000,
  Statistics1764300000000,
  WebSessions1764400000000,
  HeldEvidence1764500000000,
  TableUpkeep1764600000000,
  EmailLeases1764700000000,
  ReportDraftsAndUnlistedBodies1764800000001,
  FeePaymentInstructions1764810000000,
  SitePages1764820000000,
  CaseSearch1764830000000,
  CaseSearchWords1764830000001,
  SignInThrottle1764850000000,
  AccountSecurity1764860000000,
  TwoFactor1764870000000,
  CasesUnassignedList1764880000100,
  CasesAssigneeStageList1764890000000,
  RespondentSide1764900000000,
  Letters1764910000000,
  InboundMail1764920000000,
  InboundMailProcessing1764920000001,
  ReadAudit1764940000000,
  Retention1764950000000,
  SubjectAccess1764960000000,
  PrivacyRetentionPeriods1764970000000,
  DataRequestExtension1764980000000,
];
