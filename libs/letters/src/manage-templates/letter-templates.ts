import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { FieldError, Forbidden, NotFound, ValidationFailed, isUuid } from '@cc/common';
import type { Caller } from '@cc/identity';
import { joinSql, runSql, sql } from '@cc/persistence';
import { DEFAULT_LETTERS } from '../default-templates/default-letters';
import type { Addressee } from '../merge-fields/letter-facts';
import { templateProblems } from '../template-language/template-language';
import { CreateLetterTemplateRequest, LetterTemplateView, UpdateLetterTemplateRequest } from './letter-template.dto';

interface TemplateRow {
  id: string;
  name: string;
  purpose: string;
  addressedTo: Addressee;
  subject: string;
  body: string;
  archived: boolean;
  shipped: boolean;
  defaultKey: string | null;
  updatedAt: Date;
  updatedByName: string | null;
}

const COLUMNS = sql`t.id, t.name, t.purpose, t.addressed_to AS "addressedTo", t.subject, t.body, t.archived, t.default_key IS NOT NULL AS shipped, t.default_key AS "defaultKey",
  t.updated_at AS "updatedAt", u.display_name AS "updatedByName"`;

const toView = (r: TemplateRow): LetterTemplateView => ({ ...r, updatedAt: r.updatedAt.toISOString() });

/** Reading letter templates is for the staff who write letters; changing them is for administrators. */
const isStaff = (caller: Caller) => caller.role === 'caseworker' || caller.role === 'administrator';

/**
 * The letter templates administrators keep. The shipped defaults are added on start when missing
 * and never written over, so an administrator's edits stay; templates are archived, not deleted,
 * as sent letters name the template they came from.
 */
@Injectable()
export class LetterTemplates implements OnApplicationBootstrap {
  private readonly logger = new Logger(LetterTemplates.name);

  constructor(private readonly dataSource: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    const added = await this.addMissingDefaults();
    if (added) this.logger.log({ added }, 'Added the default letter templates that were missing');
  }

  /** Adds each shipped letter not yet there (by its key); returns how many were added. */
  async addMissingDefaults(): Promise<number> {
    const values = DEFAULT_LETTERS.map((l, i) => sql`(${l.key}, ${l.name}, ${l.purpose}, ${l.addressedTo}, ${l.subject}, ${l.body}, ${(i + 1) * 10})`);
    // ON CONFLICT with no target: a key already there (edited or not) and a name an administrator
    // already gave another template are both left alone.
    const rows = await runSql<{ id: string }>(
      this.dataSource.manager,
      sql`INSERT INTO letter_templates (default_key, name, purpose, addressed_to, subject, body, position)
          VALUES ${joinSql(values, ', ')} ON CONFLICT DO NOTHING RETURNING id`,
    );
    return rows.length;
  }

  async list(caller: Caller, options: { includeArchived?: boolean } = {}): Promise<LetterTemplateView[]> {
    if (!isStaff(caller)) throw new Forbidden('LETTERS_STAFF_ONLY', 'Only caseworkers and administrators write letters.');
    const rows = await runSql<TemplateRow>(
      this.dataSource.manager,
      sql`SELECT ${COLUMNS} FROM letter_templates t LEFT JOIN users u ON u.id = t.updated_by
           WHERE ${!!options.includeArchived}::boolean OR NOT t.archived ORDER BY t.archived, t.position, lower(t.name)`,
    );
    return rows.map(toView);
  }

  async get(caller: Caller, id: string): Promise<LetterTemplateView> {
    if (!isStaff(caller)) throw new Forbidden('LETTERS_STAFF_ONLY', 'Only caseworkers and administrators write letters.');
    if (!isUuid(id)) throw new NotFound('Letter template', 'LETTER_TEMPLATE_NOT_FOUND');
    const [row] = await runSql<TemplateRow>(this.dataSource.manager, sql`SELECT ${COLUMNS} FROM letter_templates t LEFT JOIN users u ON u.id = t.updated_by WHERE t.id = ${id}`);
    if (!row) throw new NotFound('Letter template', 'LETTER_TEMPLATE_NOT_FOUND');
    return toView(row);
  }

  async create(caller: Caller, request: CreateLetterTemplateRequest): Promise<LetterTemplateView> {
    this.adminOnly(caller);
    const input = { ...request, name: request.name.trim(), purpose: (request.purpose ?? '').trim() };
    this.checkTexts(input);
    const [row] = await this.guardName(input.name, () =>
      runSql<{ id: string }>(
        this.dataSource.manager,
        sql`INSERT INTO letter_templates (name, purpose, addressed_to, subject, body, updated_by)
            VALUES (${input.name}, ${input.purpose}, ${input.addressedTo}, ${input.subject}, ${input.body}, ${caller.userId}) RETURNING id`,
      ),
    );
    return this.get(caller, row.id);
  }

  async update(caller: Caller, id: string, request: UpdateLetterTemplateRequest): Promise<LetterTemplateView> {
    this.adminOnly(caller);
    const current = await this.get(caller, id);
    const next = {
      name: request.name?.trim() ?? current.name,
      purpose: request.purpose?.trim() ?? current.purpose,
      addressedTo: request.addressedTo ?? current.addressedTo,
      subject: request.subject ?? current.subject,
      body: request.body ?? current.body,
      archived: request.archived ?? current.archived,
    };
    this.checkTexts(next);
    await this.guardName(next.name, () =>
      runSql(
        this.dataSource.manager,
        sql`UPDATE letter_templates SET name = ${next.name}, purpose = ${next.purpose}, addressed_to = ${next.addressedTo}, subject = ${next.subject},
              body = ${next.body}, archived = ${next.archived}, updated_by = ${caller.userId}, updated_at = now()
            WHERE id = ${id}`,
      ),
    );
    return this.get(caller, id);
  }

  private adminOnly(caller: Caller): void {
    if (caller.role !== 'administrator') throw new Forbidden('ADMINISTRATORS_ONLY', 'Only administrators change letter templates.');
  }

  /** Every problem of the subject and the letter at once, each naming its field and line. */
  private checkTexts(t: { subject: string; body: string }): void {
    const errors: FieldError[] = [
      ...templateProblems(t.subject).map((p) => ({ field: 'subject', reason: p.reason })),
      ...templateProblems(t.body).map((p) => ({ field: 'body', reason: p.line && !p.reason.includes(`line ${p.line}`) ? `${p.reason} (line ${p.line})` : p.reason })),
    ];
    if (/\n/.test(t.subject)) errors.unshift({ field: 'subject', reason: 'must be one line' });
    if (errors.length) throw new ValidationFailed(errors);
  }

  private async guardName<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if ((err as { code?: string }).code === '23505' || (err as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new ValidationFailed([{ field: 'name', reason: `is already the name of another letter template: choose another name than “${name}”` }]);
      }
      throw err;
    }
  }
}
