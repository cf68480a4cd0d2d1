import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { VisibleCase } from '@cc/cases';
import { runPrepared, sql } from '@cc/persistence';
import { andList } from '../merge-fields/letter-facts';

/** One person a letter went to, as it was sent. */
export interface StoredRecipient {
  id: string;
  side: 'reporter' | 'respondent';
  name: string;
  organisation: string;
  email: string | null;
  userId: string | null;
}

export class SentLetterView {
  @ApiProperty() id: string;
  @ApiProperty() subject: string;
  @ApiProperty({ description: 'ISO time it was sent (or kept on the case, when not e-mailed)' }) sentAt: string;
  @ApiProperty() sentByName: string;
  @ApiProperty({ description: 'Who it was to, in words: "Colin Council (Harborough District Council) and Carol Clerk (Harborough District Council)"' }) recipients: string;
  @ApiProperty({ description: 'True when it was e-mailed; false when it was kept on the case to be posted or handed over' }) byEmail: boolean;
  @ApiProperty() templateName: string;
  @ApiProperty({ description: 'The case document holding its PDF (GET /api/cases/:id/evidence/:evidenceId)' }) evidenceId: string;
  @ApiProperty() body: string;
}

interface LetterRow {
  id: string;
  subject: string;
  body: string;
  sentAt: Date;
  sentByName: string | null;
  recipients: StoredRecipient[];
  byEmail: boolean;
  templateName: string;
  evidenceId: string;
}

/**
 * The letters sent on a case, oldest first, as the caller may see them: staff and the mediator see
 * every letter, as they see every document; the reporter sees every letter too (they are written
 * on its behalf, and their PDFs are among its case's documents); the public body sees only the
 * letters addressed to it, and not who at the reporting organisation a letter went to when the
 * reporter asked not to be named.
 */
@Injectable()
export class SentLetters {
  constructor(private readonly dataSource: DataSource) {}

  async of(visible: VisibleCase): Promise<SentLetterView[]> {
    const c = visible.row;
    const asRespondent = visible.asRespondent;
    const rows = await runPrepared<LetterRow>(
      this.dataSource.manager,
      sql`SELECT l.id, l.subject, l.body, l.sent_at AS "sentAt", u.display_name AS "sentByName", l.recipients, l.by_email AS "byEmail",
                 l.template_name AS "templateName", l.evidence_id AS "evidenceId"
            FROM letters l LEFT JOIN users u ON u.id = l.sent_by
           WHERE l.case_id = ${c.id} AND (NOT ${asRespondent}::boolean OR l.recipients @> '[{"side": "respondent"}]'::jsonb)
           ORDER BY l.sent_at, l.id`,
    );
    const hideReporter = asRespondent && !c.reporterNamed;
    return rows.map((r) => ({
      id: r.id,
      subject: r.subject,
      body: r.body,
      sentAt: r.sentAt.toISOString(),
      sentByName: r.sentByName ?? 'Someone no longer registered',
      recipients: recipientWords(r.recipients, hideReporter),
      byEmail: r.byEmail,
      templateName: r.templateName,
      evidenceId: r.evidenceId,
    }));
  }
}

/** "Colin Council (Harborough District Council) and Rita Reporter (Riverside Foodbank)". */
export function recipientWords(recipients: StoredRecipient[], hideReporter = false): string {
  return andList(recipients.map((r) => (hideReporter && r.side === 'reporter' ? 'the reporting organisation' : `${r.name} (${r.organisation})`))) ?? 'nobody';
}
