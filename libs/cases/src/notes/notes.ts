import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { DataSource, Repository } from 'typeorm';
import { Forbidden, IsNotBlank } from '@cc/common';
import type { Caller } from '@cc/identity';
import { UsersDirectory } from '@cc/identity';
import { runPrepared, sql } from '@cc/persistence';
import type { Audience as WorkflowAudience } from '@cc/workflows';
import type { EffectWrite } from '../domain/applied-case';
import { CaseAccess, VisibleCase } from '../domain/case-access.service';
import { CaseStore } from '../domain/case-store.service';
import { CaseNoteEntity } from '../domain/case-note.entity';
import { AUDIENCES, Audience, MESSAGE_VISIBILITIES, MessageVisibility, Visibility, audiencesWritableBy, readableBy, writableBy } from '../domain/visibility';

/** The longest note; the page's character count shows the same limit. */
export const NOTE_MAX_LENGTH = 10_000;

/** Most private first: a note goes no wider than its writer chose, so the default is the narrowest. */
const PRIVACY_ORDER: readonly Visibility[] = ['mediator', 'internal', 'shared'];

/**
 * The audiences this role may write to, most private first (a mediator: mediator-only, then
 * shared; a caseworker: internal, then shared; an administrator: internal before mediator-only,
 * as they work beside caseworkers). The first is the default.
 */
export function noteAudiencesFor(role: Caller['role']): Visibility[] {
  const order = role === 'administrator' ? (['internal', 'mediator', 'shared'] as const) : PRIVACY_ORDER;
  return order.filter((v) => writableBy(role).includes(v));
}

/**
 * The audiences of a message to or from the public body this role may write, the default first:
 * a respondent writes to everyone on the case ('parties'); a caseworker to the public body with the
 * reporter copied ('parties') or "only between us" ('respondent').
 */
export function messageAudiencesFor(role: Caller['role']): MessageVisibility[] {
  return MESSAGE_VISIBILITIES.filter((v) => audiencesWritableBy(role).includes(v));
}

export class AddNoteRequest {
  @ApiPropertyOptional({
    enum: AUDIENCES,
    description:
      'shared: the reporter sees it; internal: caseworkers only; mediator: the appointed mediator only; parties: a message the reporter and the public body see; respondent: a message only the public body (and staff) sees. Left out, the most private note the caller may write (internal for caseworkers, mediator for mediators; parties for a respondent)',
  })
  @IsOptional()
  @IsIn(AUDIENCES, { message: `must be one of ${AUDIENCES.join(', ')}` })
  visibility?: Audience;

  @ApiProperty()
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(1, NOTE_MAX_LENGTH, { message: `must be 1 to ${NOTE_MAX_LENGTH} characters` })
  body: string;
}

export class NoteView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: AUDIENCES }) visibility: Audience;
  @ApiProperty() body: string;
  @ApiProperty() authorName: string;
  @ApiProperty() createdAt: string;
}

export class AddMessageRequest {
  @ApiProperty()
  @IsString({ message: 'must be text' })
  @IsNotBlank()
  @Length(1, NOTE_MAX_LENGTH, { message: `must be 1 to ${NOTE_MAX_LENGTH} characters` })
  body: string;

  @ApiPropertyOptional({ description: 'Caseworkers and administrators: true keeps the message between the caseworker and the public body (the reporter does not see it)' })
  @IsOptional()
  @IsBoolean({ message: 'must be true or false' })
  onlyBetweenUs?: boolean;
}

@Injectable()
export class CaseNotes {
  constructor(
    @InjectRepository(CaseNoteEntity) private readonly notes: Repository<CaseNoteEntity>,
    private readonly dataSource: DataSource,
    private readonly access: CaseAccess,
    private readonly directory: UsersDirectory,
    private readonly store: CaseStore,
  ) {}

  async list(caller: Caller, idOrReference: string): Promise<NoteView[]> {
    return this.listOf(await this.access.visible(caller, idOrReference));
  }

  /** The notes of a case already loaded and checked, those the caller may read. */
  async listOf({ caller, row: c }: VisibleCase): Promise<NoteView[]> {
    return this.read(caller, c, readableBy(caller.role));
  }

  async messages(caller: Caller, idOrReference: string): Promise<NoteView[]> {
    return this.messagesOf(await this.access.visible(caller, idOrReference));
  }

  /** The messages to and from the public body on a case already loaded and checked, those the caller may read. */
  async messagesOf({ caller, row: c }: VisibleCase): Promise<NoteView[]> {
    return this.read(caller, c, MESSAGE_VISIBILITIES.filter((v) => readableBy(caller.role).includes(v)));
  }

  /** A message to (or, for a respondent, from) the public body: a note in a message audience, 'parties' unless asked. */
  async addMessage(caller: Caller, idOrReference: string, request: { body: string; onlyBetweenUs?: boolean }): Promise<NoteView> {
    return this.add(caller, idOrReference, { body: request.body, visibility: request.onlyBetweenUs ? 'respondent' : 'parties' });
  }

  private async read(caller: Caller, c: VisibleCase['row'], audiences: readonly Audience[]): Promise<NoteView[]> {
    if (!audiences.length) return [];
    // The authors' names in the same statement: one round trip for the list.
    const rows = await runPrepared<CaseNoteEntity & { authorName: string | null; authorRole: string | null }>(
      this.dataSource.manager,
      sql`SELECT n.id, n.case_id AS "caseId", n.author_id AS "authorId", n.visibility, n.body, n.created_at AS "createdAt",
                 u.display_name AS "authorName", u.role AS "authorRole"
            FROM case_notes n LEFT JOIN users u ON u.id = n.author_id
           WHERE n.case_id = ${c.id} AND n.visibility = ANY(${[...audiences]}::text[])
           ORDER BY n.created_at`,
    );
    // A respondent not told who reported is not told who at the reporting organisation wrote either.
    const hideReporter = caller.role === 'respondent' && !c.reporterNamed;
    return rows.map((n) => toView(n, hideReporter && n.authorRole === 'reporter' ? 'The reporting organisation' : (n.authorName ?? '(unknown)')));
  }

  async add(caller: Caller, idOrReference: string, request: AddNoteRequest): Promise<NoteView> {
    const c = await this.access.visibleCase(caller, idOrReference);
    const visibility = request.visibility ?? noteAudiencesFor(caller.role)[0] ?? messageAudiencesFor(caller.role)[0];
    if (!visibility || !audiencesWritableBy(caller.role).includes(visibility)) {
      throw new Forbidden('NOTE_VISIBILITY_NOT_ALLOWED', `You cannot write ${visibility ?? 'any'} notes; you can write: ${audiencesWritableBy(caller.role).join(', ')}.`);
    }
    const saved = (MESSAGE_VISIBILITIES as readonly Audience[]).includes(visibility)
      ? await this.addMessageWithNotices(caller, c, visibility, request.body)
      : await this.notes.save(this.notes.create({ caseId: c.id, authorId: caller.userId, visibility, body: request.body }));
    const names = await this.directory.displayNames([caller.userId]);
    return toView(saved, names.get(caller.userId) ?? '(unknown)');
  }

  /**
   * A message and the e-mails telling the other side, in one statement. The public body's message
   * goes to the case's caseworker (every caseworker until one is assigned); the caseworker's to the
   * public body's named contacts; the reporter is told too unless it is only between those two.
   */
  private addMessageWithNotices(caller: Caller, c: VisibleCase['row'], visibility: Audience, body: string): Promise<CaseNoteEntity> {
    const otherSide: WorkflowAudience[] = caller.role === 'respondent' ? [c.assigneeId ? 'assignee' : 'caseworkers'] : ['respondent'];
    const audience: WorkflowAudience[] = visibility === 'parties' ? [...otherSide, 'reporter'] : otherSide;
    const insert: EffectWrite = (applied) =>
      sql`INSERT INTO case_notes (case_id, author_id, visibility, body)
          SELECT ${applied.col('id')}, ${caller.userId}, ${visibility}, ${body} FROM ${applied.rows}
          RETURNING id, case_id AS "caseId", author_id AS "authorId", visibility, body, created_at AS "createdAt"`;
    return this.store.writeWithNotices<CaseNoteEntity>(
      c,
      { type: 'MESSAGE', payload: { fromRole: caller.role }, at: new Date().toISOString() },
      insert,
      [{ type: 'notify', template: 'messageReceived', audience }],
    );
  }
}

function toView(n: CaseNoteEntity, authorName: string): NoteView {
  return { id: n.id, visibility: n.visibility, body: n.body, authorName, createdAt: n.createdAt.toISOString() };
}
