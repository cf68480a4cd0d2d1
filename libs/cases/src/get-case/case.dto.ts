import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class NamedRef {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
}

export class CaseSummary {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'CB-2026-00042' }) reference: string;
  @ApiProperty() title: string;
  @ApiProperty({ example: 'advocacy.reviewing' }) state: string;
  @ApiProperty({ example: 'advocacy' }) stage: string;
  @ApiProperty({ nullable: true, type: String }) outcome: string | null;
  @ApiProperty({ type: NamedRef }) reportingOrganisation: NamedRef;
  @ApiProperty({ type: NamedRef }) respondent: NamedRef;
  @ApiProperty() compactId: string;
  @ApiProperty({ type: [String] }) commitments: string[];
  @ApiProperty({ nullable: true, type: NamedRef }) assignee: NamedRef | null;
  @ApiProperty() submittedAt: string;
  @ApiProperty() updatedAt: string;
}

export class FeeView {
  @ApiProperty() amountPence: number;
  @ApiProperty() reporterSharePercent: number;
  @ApiProperty() agreedByReporter: boolean;
  @ApiProperty() agreedByRespondent: boolean;
  @ApiProperty() paidByReporterPence: number;
  @ApiProperty() paidByRespondentPence: number;
  @ApiProperty() waived: boolean;
}

export class SessionView {
  @ApiProperty() startsAt: string;
  @ApiProperty() location: string;
}

export class CommitmentRef {
  @ApiProperty() id: string;
  @ApiProperty({ example: '4.5' }) reference: string;
  @ApiProperty() text: string;
}

export class TriageHintView {
  @ApiProperty({ enum: ['RESPONDENT_NOT_SIGNATORY', 'MATTER_OLDER_THAN_12_MONTHS', 'LIKELY_BREACH', 'RULE_MET', 'FACTS_MISSING', 'RELATED_CASES'] }) code: string;
  @ApiProperty({ enum: ['warning', 'info'] }) severity: string;
  @ApiProperty() message: string;
  @ApiPropertyOptional() commitment?: string;
  @ApiPropertyOptional({ description: 'For RELATED_CASES: the cases flagged' }) relatedCases?: Array<{ id: string; reference: string; submittedAt: string }>;
}

export class NamedContactView {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String, example: 'Head of Commissioning' }) jobTitle: string | null;
  @ApiProperty({ description: 'False once the contact has been deactivated in the registry' }) active: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Caseworkers and administrators only' }) email?: string | null;
}

export class RespondentDeadlineView {
  @ApiProperty({ example: 'respondentReply', enum: ['respondentReply', 'feeAgreement', 'feePayment', 'sessionReminder', 'monitoring'] }) kind: string;
  @ApiProperty({ nullable: true, type: String, description: 'ISO time; null while the clock is paused' }) dueAt: string | null;
  @ApiProperty() paused: boolean;
}

export class CaseDetail extends CaseSummary {
  @ApiProperty({ description: 'Whether the public body may be told who reported; when false respondents see "a voluntary organisation in <area>"' })
  reporterNamed: boolean;
  @ApiProperty({ type: [NamedContactView], description: "The public body's contacts named on the case (they see it); e-mail for staff only" })
  namedContacts: NamedContactView[];
  @ApiPropertyOptional({ type: [RespondentDeadlineView], nullable: true, description: 'Respondents only: the running clocks that wait on the public body or both parties' })
  respondentDeadlines: RespondentDeadlineView[] | null;
  @ApiProperty() version: number;
  @ApiProperty() machineVersion: number;
  @ApiProperty() whatHappened: string;
  @ApiProperty() happenedOn: string;
  @ApiProperty() impact: string;
  @ApiProperty() desiredOutcome: string;
  @ApiProperty({ nullable: true, type: String }) evidence: string | null;
  @ApiProperty({ nullable: true, type: NamedRef }) mediator: NamedRef | null;
  @ApiPropertyOptional({ nullable: true, type: FeeView }) fee: FeeView | null;
  @ApiPropertyOptional({ nullable: true, type: SessionView }) session: SessionView | null;
  @ApiProperty({ type: [String] }) agreedActions: string[];
  @ApiProperty({ nullable: true, type: String }) monitorUntil: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ type: [String], description: 'Events you may send now with POST /api/cases/:id/events' })
  availableActions: string[];
  @ApiProperty({ type: [CommitmentRef], description: 'The commitments the report names, with their text' }) commitmentDetails: CommitmentRef[];
  @ApiProperty({ description: 'Facts the report gave for the Compact\'s rules' }) facts: Record<string, unknown>;
  @ApiPropertyOptional({ type: [TriageHintView], nullable: true, description: 'Caseworkers and administrators only: hints worked out when the report was filed' })
  triageHints: TriageHintView[] | null;
}

export class CaseCreated {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'CB-2026-00042' }) reference: string;
}

export class CaseEventAccepted {
  @ApiProperty() caseId: string;
  @ApiProperty({ description: 'Sequence number of the event in the case log' }) seq: number;
  @ApiProperty() state: string;
  @ApiProperty() stage: string;
  @ApiProperty() version: number;
}
