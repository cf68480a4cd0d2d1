import { PassThrough } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { CaseAccess, CaseNotes, CaseTimeline, CaseViews, MESSAGE_VISIBILITIES, type VisibleCase } from '@cc/cases';
import { DeadlineQueries } from '@cc/deadlines';
import { renderPdf, writeZip, type ZipEntry } from '@cc/documents';
import { DownloadEvidence, ListEvidence } from '@cc/evidence';
import type { Caller } from '@cc/identity';
import { CaseFileFactsStore } from './case-file-facts.store';
import { type CaseFileSource, type LetterSentLine, caseFileName, caseFileSpec } from './case-file-content';

/** Where the letters sent on a case come from: @cc/letters' SentLetters, given by the module (a seam, so the content can be built without it). */
export abstract class LettersSentSource {
  abstract of(seen: VisibleCase): Promise<LetterSentLine[]>;
}

export interface CaseFilePdf {
  pdf: Buffer;
  fileName: string;
}

export interface CaseFileZip {
  stream: NodeJS.ReadableStream;
  fileName: string;
}

/** Messages with the public body are on the timeline already; the notes section has the rest. */
const MESSAGES = new Set<string>(MESSAGE_VISIBILITIES);

/**
 * The whole case as one PDF, and that PDF with the documents as a ZIP, for the person asking:
 * every part comes from the use case that owns it (the case's detail, timeline, notes, deadlines,
 * documents, letters), each of which hands a reader only what their role may see, from the one
 * access check made here. A case the caller may not see is "not found", as everywhere.
 */
@Injectable()
export class MakeCaseFile {
  private readonly logger = new Logger(MakeCaseFile.name);

  constructor(
    private readonly access: CaseAccess,
    private readonly views: CaseViews,
    private readonly timeline: CaseTimeline,
    private readonly notes: CaseNotes,
    private readonly deadlines: DeadlineQueries,
    private readonly evidence: ListEvidence,
    private readonly download: DownloadEvidence,
    private readonly facts: CaseFileFactsStore,
    private readonly letters: LettersSentSource,
  ) {}

  async pdf(caller: Caller, idOrReference: string): Promise<CaseFilePdf> {
    return this.pdfOf(await this.access.visible(caller, idOrReference));
  }

  async pdfOf(seen: VisibleCase): Promise<CaseFilePdf> {
    const started = performance.now();
    const source = await this.sourceOf(seen);
    const pdf = await renderPdf(caseFileSpec(source));
    this.logger.log(
      { caseId: seen.row.id, role: seen.caller.role, events: source.timeline.length, documents: source.evidence.length, bytes: pdf.length, ms: Math.round(performance.now() - started) },
      'Case file made',
    );
    return { pdf, fileName: caseFileName(seen.row.reference, 'pdf') };
  }

  /**
   * The PDF and every document the caller may see, streamed: each file is opened only when the
   * archive reaches it, through the same download use case (and check) as a single document.
   */
  async zip(caller: Caller, idOrReference: string): Promise<CaseFileZip> {
    const seen = await this.access.visible(caller, idOrReference);
    const [{ pdf, fileName }, documents] = await Promise.all([this.pdfOf(seen), this.evidence.of(seen)]);
    const entries: ZipEntry[] = [{ name: fileName, content: pdf }];
    for (const document of documents) {
      // A document held for a report not yet sent has no file on the case yet.
      if (!document.downloadUrl) continue;
      entries.push({ name: `documents/${document.fileName}`, content: () => this.openDocument(seen, document.id) });
    }
    return { stream: writeZip(entries), fileName: caseFileName(seen.row.reference, 'zip') };
  }

  private openDocument(seen: VisibleCase, evidenceId: string): NodeJS.ReadableStream {
    const out = new PassThrough();
    this.download.execute(seen.caller, seen.row.id, evidenceId).then(
      (file) => {
        file.stream.on('error', (error: Error) => out.destroy(error));
        file.stream.pipe(out);
      },
      (error: unknown) => {
        this.logger.error({ err: error instanceof Error ? error.message : String(error), caseId: seen.row.id, evidenceId }, 'A document of the case file could not be read');
        out.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return out;
  }

  private async sourceOf(seen: VisibleCase): Promise<CaseFileSource> {
    const { caller } = seen;
    const staffOrMediator = caller.role === 'caseworker' || caller.role === 'administrator' || caller.role === 'mediator';
    const [detail, timeline, notes, deadlines, evidence, letters] = await Promise.all([
      this.views.detailOf(seen),
      this.timeline.of(seen),
      this.notes.listOf(seen),
      this.deadlines.ofCase(seen),
      this.evidence.of(seen),
      this.letters.of(seen),
    ]);
    const people = timeline.flatMap((t) => [t.details.caseworkerId, t.details.mediatorId, ...(Array.isArray(t.details.contactIds) ? t.details.contactIds : [])]);
    const facts = await this.facts.of(
      seen,
      people.filter((id): id is string => typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)),
    );
    const staff = caller.role === 'caseworker' || caller.role === 'administrator';
    return {
      role: caller.role,
      callerName: facts.callerName ?? 'you',
      madeAt: new Date(),
      detail,
      compactName: facts.compactName,
      // The public body is never told who at the reporting organisation reported; staff get the address too.
      reportedBy: caller.role !== 'respondent' && facts.reporterName ? { name: facts.reporterName, email: staff ? facts.reporterEmail : null } : null,
      commitments: facts.commitments,
      showRuleFindings: staffOrMediator,
      timeline,
      names: new Map(Object.entries(facts.names)),
      notes: notes.filter((n) => !MESSAGES.has(n.visibility)),
      deadlines,
      evidence,
      letters,
    };
  }
}
