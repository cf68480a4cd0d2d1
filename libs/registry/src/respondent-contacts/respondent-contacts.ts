import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { Conflict, NotFound, parseOrThrow } from '@cc/common';
import { runSql, sql } from '@cc/persistence';

/** A person at a public body who answers for it; their account (role respondent) signs in only by link. */
export interface RespondentContact {
  id: string;
  organisationId: string;
  userId: string;
  name: string;
  email: string;
  jobTitle: string | null;
  active: boolean;
  createdAt: string;
}

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be ${max} characters or fewer`);

export const contactSchema = z
  .object({
    name: text(200).refine((s) => s.length >= 2, 'must be 2 to 200 characters'),
    email: z.string().trim().max(320, 'must be 320 characters or fewer').regex(/^[^\s@,<>"]+@[^\s@,<>"]+\.[^\s@,<>"]+$/, 'must be an e-mail address, like name@example.gov.uk'),
    jobTitle: text(120).nullable().optional(),
  })
  .strict();

export const contactPatchSchema = contactSchema.partial().extend({ active: z.boolean().optional() }).strict();

export type ContactInput = z.infer<typeof contactSchema>;
export type ContactPatch = z.infer<typeof contactPatchSchema>;

const COLUMNS = sql`c.id, c.organisation_id AS "organisationId", c.user_id AS "userId", c.name, c.email, c.job_title AS "jobTitle", c.active, c.created_at AS "createdAt"`;

const emailTaken = (email: string) =>
  new Conflict('EMAIL_IN_USE', `The e-mail address ${email} is already used by another account. Each contact needs an address of their own; if this person already has an account, ask an administrator.`, {
    allowedActions: ['use another e-mail address'],
  });

/**
 * The respondent contacts of public bodies, each with its account in `users` (role respondent,
 * password hash '!', which no password matches). Adding, editing and deactivating change both
 * rows in one transaction, so a contact and its account never disagree.
 */
@Injectable()
export class RespondentContacts {
  private readonly logger = new Logger(RespondentContacts.name);

  constructor(private readonly dataSource: DataSource) {}

  /** Every contact of the organisation (active ones first, then by name). */
  async listFor(organisationId: string): Promise<RespondentContact[]> {
    return runSql<RespondentContact>(this.dataSource, sql`SELECT ${COLUMNS} FROM respondent_contacts c WHERE c.organisation_id = ${organisationId} ORDER BY c.active DESC, lower(c.name), c.id`);
  }

  /** Those of `ids` that are active contacts of this organisation (the others are simply left out). */
  async findActive(ids: readonly string[], organisationId: string, m: EntityManager = this.dataSource.manager): Promise<RespondentContact[]> {
    if (!ids.length) return [];
    return runSql<RespondentContact>(m, sql`SELECT ${COLUMNS} FROM respondent_contacts c WHERE c.id = ANY(${[...ids]}::uuid[]) AND c.organisation_id = ${organisationId} AND c.active ORDER BY lower(c.name), c.id`);
  }

  /** One contact of the organisation; 404 when it is not one of its contacts. */
  async get(organisationId: string, contactId: string): Promise<RespondentContact> {
    const [row] = await runSql<RespondentContact>(this.dataSource, sql`SELECT ${COLUMNS} FROM respondent_contacts c WHERE c.id = ${contactId} AND c.organisation_id = ${organisationId}`);
    if (!row) throw new NotFound(`Contact ${contactId}`, 'CONTACT_NOT_FOUND');
    return row;
  }

  /** The organisation, when it may have contacts: 404 when unknown, 409 when it is not a public body. */
  async publicBody(organisationId: string, m: EntityManager = this.dataSource.manager): Promise<{ id: string; name: string; area: string | null }> {
    const [org] = await runSql<{ id: string; name: string; area: string | null; sector: string }>(m, sql`SELECT id, name, area, sector FROM organisations WHERE id = ${organisationId}`);
    if (!org) throw new NotFound(`Organisation ${organisationId}`, 'ORGANISATION_NOT_FOUND');
    if (org.sector !== 'public') {
      throw new Conflict('NOT_A_PUBLIC_BODY', `${org.name} is a voluntary or community organisation. Only public bodies have respondent contacts.`, { allowedActions: [] });
    }
    return { id: org.id, name: org.name, area: org.area };
  }

  /** Adds a contact and its account together; 409 when the e-mail address is used by any account. */
  async add(addedBy: string, organisationId: string, body: unknown): Promise<RespondentContact> {
    const input = parseOrThrow(contactSchema, body);
    try {
      const contact = await this.dataSource.transaction(async (m) => {
        await this.publicBody(organisationId, m);
        await this.refuseTakenEmail(m, input.email, null);
        const [user] = await runSql<{ id: string }>(m, sql`INSERT INTO users (email, display_name, role, organisation_id, password_hash) VALUES (${input.email}, ${input.name}, 'respondent', ${organisationId}, '!') RETURNING id`);
        const [row] = await runSql<{ id: string }>(m, sql`INSERT INTO respondent_contacts (organisation_id, user_id, name, email, job_title, created_by)
            VALUES (${organisationId}, ${user.id}, ${input.name}, ${input.email}, ${input.jobTitle ?? null}, ${addedBy}) RETURNING id`);
        const [created] = await runSql<RespondentContact>(m, sql`SELECT ${COLUMNS} FROM respondent_contacts c WHERE c.id = ${row.id}`);
        return created;
      });
      this.logger.log({ organisationId, contactId: contact.id, userId: contact.userId, addedBy }, 'Respondent contact added');
      return contact;
    } catch (err) {
      // Two people adding the same address at once: the unique indexes decide, with the same answer.
      if ((err as { code?: string }).code === '23505') throw emailTaken(input.email);
      throw err;
    }
  }

  /**
   * Edits a contact (and its account to match). Deactivating ends every sign-in of the account at
   * once (a new token generation, its page sessions deleted); reactivating lets it sign in by link again.
   */
  async update(changedBy: string, organisationId: string, contactId: string, body: unknown): Promise<RespondentContact> {
    const patch = parseOrThrow(contactPatchSchema, body);
    try {
      const contact = await this.dataSource.transaction(async (m) => {
        const [current] = await runSql<RespondentContact>(m, sql`SELECT ${COLUMNS} FROM respondent_contacts c WHERE c.id = ${contactId} AND c.organisation_id = ${organisationId} FOR UPDATE`);
        if (!current) throw new NotFound(`Contact ${contactId}`, 'CONTACT_NOT_FOUND');
        const email = patch.email ?? current.email;
        if (email.toLowerCase() !== current.email.toLowerCase()) await this.refuseTakenEmail(m, email, current.userId);
        const name = patch.name ?? current.name;
        const jobTitle = patch.jobTitle === undefined ? current.jobTitle : patch.jobTitle;
        const active = patch.active ?? current.active;
        await runSql(m, sql`UPDATE respondent_contacts SET name = ${name}, email = ${email}, job_title = ${jobTitle}, active = ${active} WHERE id = ${contactId}`);
        const ends = (!active && current.active) || email.toLowerCase() !== current.email.toLowerCase();
        await runSql(m, sql`UPDATE users SET display_name = ${name}, email = ${email}, active = ${active},
                                 token_generation = token_generation + ${ends ? 1 : 0}
                             WHERE id = ${current.userId}`);
        if (ends) {
          await runSql(m, sql`DELETE FROM web_sessions WHERE user_id = ${current.userId}`);
          // An unused link sent to the old address (or before deactivation) must not work afterwards.
          await runSql(m, sql`UPDATE sign_in_links SET used_at = now() WHERE user_id = ${current.userId} AND used_at IS NULL`);
        }
        const [updated] = await runSql<RespondentContact>(m, sql`SELECT ${COLUMNS} FROM respondent_contacts c WHERE c.id = ${contactId}`);
        return { updated, ends, was: current };
      });
      this.logger.log(
        { organisationId, contactId, changedBy, deactivated: contact.was.active && !contact.updated.active, reactivated: !contact.was.active && contact.updated.active, signInsEnded: contact.ends },
        'Respondent contact changed',
      );
      return contact.updated;
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw emailTaken(patch.email ?? '');
      throw err;
    }
  }

  private async refuseTakenEmail(m: EntityManager, email: string, exceptUserId: string | null): Promise<void> {
    const [taken] = await runSql(m, sql`SELECT 1 FROM users WHERE lower(email) = lower(${email}) AND id IS DISTINCT FROM ${exceptUserId}::uuid
                                        UNION ALL SELECT 1 FROM respondent_contacts WHERE lower(email) = lower(${email}) AND user_id IS DISTINCT FROM ${exceptUserId}::uuid LIMIT 1`);
    if (taken) throw emailTaken(email);
  }
}
