import { Injectable } from '@nestjs/common';
import { FieldError, Forbidden, NotFound, ValidationFailed } from '@cc/common';
import type { VisibleCase } from '@cc/cases';
import { formatDate } from '@cc/wording';
import { workflowFor } from '@cc/workflows';
import { LetterTemplates } from '../manage-templates/letter-templates';
import type { LetterTemplateView } from '../manage-templates/letter-template.dto';
import { type Addressee, LetterCase, LetterFacts, LetterRecipient, andList } from '../merge-fields/letter-facts';
import { type Segment, fillTemplate, gapsOf, parseTemplate, segmentsToText, textToSegments } from '../template-language/template-language';
import type { LetterPreviewView } from './write-letter.dto';

/** A letter made for a case: the template filled in (or the text as edited), with what it still lacks. */
export interface ComposedLetter {
  template: LetterTemplateView;
  letterCase: LetterCase;
  subject: Segment[];
  body: Segment[];
  subjectText: string;
  bodyText: string;
  /** The gaps in words, subject first, each once. */
  gaps: string[];
  /** Whether the text came from an edit (its gaps are markers the writer left) rather than the template. */
  edited: { subject: boolean; body: boolean };
  recipients: LetterRecipient[];
  chosen: LetterRecipient[];
  /** Who it is to, in words, for the letter's heading. */
  to: string;
  dated: string;
}

const sideOf = (addressedTo: Addressee) => (r: LetterRecipient) => addressedTo === 'parties' || r.side === addressedTo;

/** Fills a template in for a case, or takes the writer's edited text, and says what is missing. */
@Injectable()
export class LetterComposer {
  constructor(
    private readonly templates: LetterTemplates,
    private readonly facts: LetterFacts,
  ) {}

  async compose(seen: VisibleCase, request: { templateId: string; recipients?: string[]; subject?: string; body?: string }): Promise<ComposedLetter> {
    const caller = seen.caller;
    if (caller.role !== 'caseworker' && caller.role !== 'administrator') throw new Forbidden('LETTERS_STAFF_ONLY', 'Only caseworkers and administrators write letters.');
    let template: LetterTemplateView;
    try {
      template = await this.templates.get(caller, request.templateId);
    } catch (err) {
      if (err instanceof NotFound) throw new ValidationFailed([{ field: 'templateId', reason: 'is not a letter template' }]);
      throw err;
    }
    if (template.archived) throw new ValidationFailed([{ field: 'templateId', reason: 'is an archived letter template: choose another' }]);
    const letterCase = await this.facts.of(seen);
    const onSide = letterCase.recipients.filter(sideOf(template.addressedTo));
    const chosen = request.recipients ? this.chosenFrom(letterCase.recipients, onSide, request.recipients) : onSide;
    const data = letterCase.data(template.addressedTo, chosen);
    const fill = (source: string) => {
      const parsed = parseTemplate(source);
      // A template saved before a field was renamed: its problem is the administrator's, shown as a gap rather than a failure.
      return 'problems' in parsed ? [{ gap: `a letter template that needs fixing by an administrator (${parsed.problems[0].reason})`, field: '' }] : fillTemplate(parsed.program, data);
    };
    const subject = request.subject !== undefined ? textToSegments(oneLine(request.subject)) : fill(template.subject);
    const body = request.body !== undefined ? textToSegments(normalise(request.body)) : fill(template.body);
    const subjectText = oneLine(segmentsToText(subject));
    const bodyText = normalise(segmentsToText(body));
    return {
      template,
      letterCase,
      subject,
      body,
      subjectText,
      bodyText,
      gaps: [...new Set([...gapsOf(subject), ...gapsOf(body)])],
      edited: { subject: request.subject !== undefined, body: request.body !== undefined },
      recipients: letterCase.recipients,
      chosen,
      to: andList(chosen.map((r) => (r.side === 'reporter' && template.addressedTo !== 'reporter' && !letterCase.reporterNamed ? 'The reporting organisation' : `${r.name}, ${r.organisation}`))) ?? 'nobody yet',
      dated: formatDate(new Date()) ?? '',
    };
  }

  /**
   * Every template on offer with how many gaps it would have on this case now (the case's facts read
   * once), so the letters ready to send can be offered first.
   */
  async choices(seen: VisibleCase): Promise<Array<{ template: LetterTemplateView; gaps: string[]; suggested: boolean }>> {
    const caller = seen.caller;
    if (caller.role !== 'caseworker' && caller.role !== 'administrator') throw new Forbidden('LETTERS_STAFF_ONLY', 'Only caseworkers and administrators write letters.');
    const [templates, letterCase] = await Promise.all([this.templates.list(caller), this.facts.of(seen)]);
    return templates.map((template) => {
      const to = letterCase.recipients.filter(sideOf(template.addressedTo));
      const data = letterCase.data(template.addressedTo, to);
      const gapsIn = (source: string) => {
        const parsed = parseTemplate(source);
        return 'problems' in parsed ? ['a template that needs fixing by an administrator'] : gapsOf(fillTemplate(parsed.program, data));
      };
      const gaps = [...new Set([...gapsIn(template.subject), ...gapsIn(template.body)])];
      return { template, gaps, suggested: !gaps.length && suits(template.defaultKey, seen) };
    });
  }

  /** The preview the API and the page show. */
  view(letter: ComposedLetter): LetterPreviewView {
    return {
      templateId: letter.template.id,
      templateName: letter.template.name,
      addressedTo: letter.template.addressedTo,
      subject: letter.subjectText,
      body: letter.bodyText,
      gaps: letter.gaps,
      recipients: letter.recipients
        .filter(sideOf(letter.template.addressedTo))
        .map((r) => ({ id: r.id, side: r.side, name: r.name, organisation: r.organisation, jobTitle: r.jobTitle, hasEmail: !!r.email })),
      chosen: letter.chosen.map((r) => r.id),
    };
  }

  private chosenFrom(all: LetterRecipient[], onSide: LetterRecipient[], ids: string[]): LetterRecipient[] {
    const errors: FieldError[] = [];
    const chosen: LetterRecipient[] = [];
    ids.forEach((id, i) => {
      const found = onSide.find((r) => r.id === id);
      if (found) {
        if (!chosen.includes(found)) chosen.push(found);
      } else if (all.some((r) => r.id === id)) errors.push({ field: `recipients.${i}`, reason: 'is not on the side this letter is addressed to: choose another letter for them' });
      else errors.push({ field: `recipients.${i}`, reason: "is not someone on this case: use 'reporter' or the id of a public body contact named on the case" });
    });
    if (errors.length) throw new ValidationFailed(errors);
    return chosen;
  }
}

/** Line endings as \n, no trailing spaces, no runs of blank lines. */
function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').trim();
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Whether a shipped letter is the one for this case as it stands: the rejection letter for the
 * reason it was rejected, the closing letter for how it closed. Any other letter suits whenever the
 * case has what it needs.
 */
function suits(defaultKey: string | null, seen: VisibleCase): boolean {
  const c = seen.row;
  const kebab = (s: string) => s.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
  if (defaultKey?.startsWith('rejection-')) {
    const reason = workflowFor(c.machineVersion).view(c.snapshot).context.rejection?.reason;
    return c.outcome === 'rejected' && !!reason && defaultKey === `rejection-${kebab(reason)}`;
  }
  if (defaultKey?.startsWith('closing-')) return c.stage === 'closed' && defaultKey === `closing-${c.outcome}`;
  return true;
}
