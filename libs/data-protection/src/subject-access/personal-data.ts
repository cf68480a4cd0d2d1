/**
 * What a subject access export holds (data.json, and summary.html written from it). Codes
 * (states, roles, e-mail and event names) are kept as they are stored in data.json, for whoever
 * reads it with a program; the summary gives each in words.
 */
export interface PersonalData {
  email: string;
  gatheredAt: string;
  request: { kind: string; receivedOn: string; dueOn: string };
  account: { name: string; email: string; role: string; organisation: string | null; active: boolean; createdAt: Date; passwordChangedAt: Date | null; twoFactor: boolean } | null;
  publicBodyContact: { name: string; email: string; jobTitle: string | null; organisation: string; createdAt: Date } | null;
  cases: Array<{
    reference: string;
    yourPart: string[];
    reportingOrganisation: string;
    publicBody: string;
    state: string;
    outcome: string | null;
    submittedAt: Date;
    closedAt: Date | null;
    happenedOn: string;
    report: { title: string; whatHappened: string; impact: string; desiredOutcome: string; evidence: string | null } | null;
  }>;
  notes: Array<{ caseReference: string; writtenBy: string; visibility: string; writtenAt: Date; text: string }>;
  caseEvents: Array<{ caseReference: string; what: string; by: string; at: Date; texts: Record<string, string> }>;
  documents: Array<{ caseReference: string; fileName: string; mediaType: string; sizeBytes: number; description: string | null; uploadedAt: Date; fileInExport: string | null }>;
  letters: Array<{ caseReference: string; subject: string; sentBy: string; sentAt: Date; byEmail: boolean; toYou: boolean; text: string }>;
  emailsSent: Array<{ caseReference: string | null; message: string; status: string; createdAt: Date; sentAt: Date | null; texts: Record<string, string> }>;
  emailsReceived: Array<{ caseReference: string | null; subject: string | null; receivedAt: Date; text: string | null }>;
  reads: Array<{ at: Date; caseReference: string | null; method: string; path: string }>;
  accountHistory: Array<{ what: string; at: Date; byAnAdministrator: boolean }>;
  signIns: Array<{ signedInAt: Date; lastUsedAt: Date }>;
  requests: Array<{ kind: string; receivedOn: string; status: string }>;
}
