import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Conflict, NotFound, ValidationFailed, isUuid, parseOrThrow } from '@cc/common';
import { Sql, joinSql, rawSql, runSql, sql } from '@cc/persistence';
import type { Role } from '@cc/workflows';
import type { Caller } from '../domain/caller';
import { hashPassword } from '../passwords/password-hashing';
import { AccountPasswords } from '../passwords/account-passwords.service';
import { AuthService } from '../sign-in/auth.service';

export const USER_ROLES = ['reporter', 'caseworker', 'mediator', 'administrator'] as const satisfies readonly Role[];

export const newUserSchema = z
  .object({
    email: z.email({ message: 'must be an e-mail address, like name@example.org' }).max(254, 'must be at most 254 characters'),
    displayName: z.string().trim().min(2, 'must be 2 to 120 characters').max(120, 'must be 2 to 120 characters'),
    role: z.enum(USER_ROLES, { message: `must be one of ${USER_ROLES.join(', ')}` }),
    organisationId: z.uuid({ message: 'must be an organisation from the list' }).nullable().optional(),
    /** E-mail the person a link to choose their own password, instead of showing a temporary one. */
    sendLink: z.boolean({ message: 'must be true or false' }).optional(),
  })
  .strict();

export const userPatchSchema = z
  .object({
    active: z.boolean({ message: 'must be true or false' }).optional(),
    displayName: z.string().trim().min(2, 'must be 2 to 120 characters').max(120, 'must be 2 to 120 characters').optional(),
    email: newUserSchema.shape.email.optional(),
    role: newUserSchema.shape.role.optional(),
    organisationId: z.uuid({ message: 'must be an organisation from the list' }).nullable().optional(),
  })
  .strict();

export const userTieSchema = z
  .object({
    organisationId: z.uuid({ message: 'must be an organisation from the list' }),
    nature: z.string().trim().min(2, 'must say how they are tied, in 2 to 200 characters').max(200, 'must be 200 characters or fewer'),
  })
  .strict();

/** An organisation a person is tied to (a trustee, an employee, a member), which makes them partial as its mediator. */
export interface UserTie {
  organisation: { id: string; name: string; area: string | null };
  nature: string;
}

export interface ManagedUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  organisation: { id: string; name: string } | null;
  active: boolean;
  createdAt: string;
}

export interface CreatedUser {
  user: ManagedUser;
  /** Shown to the administrator once, to pass on; only its hash is stored. Absent when a link was e-mailed instead. */
  temporaryPassword?: string;
  /** Whether the person was e-mailed a link to choose their password. */
  linkSent: boolean;
}

export interface UserSearch {
  q?: string;
  role?: Role;
  active?: boolean;
  limit: number;
}

const COLUMNS = rawSql(`u.id, u.email, u.display_name AS "displayName", u.role, u.active, u.created_at AS "createdAt",
  CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('id', o.id, 'name', o.name) END AS organisation`);

/** Temporary passwords: 4 groups of 4 from an alphabet without look-alikes (about 80 bits). */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/**
 * Administrators manage accounts: list them, add one with a role (a reporter needs an
 * organisation) and a temporary password, change them, deactivate or reactivate them, and keep
 * the organisations each is tied to. An account is never deleted: cases and events name it.
 */
@Injectable()
export class ManageUsers {
  private readonly logger = new Logger(ManageUsers.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly passwords: AccountPasswords,
    private readonly auth: AuthService,
  ) {}

  async list(search: UserSearch): Promise<ManagedUser[]> {
    const where: Sql[] = [];
    if (search.q) {
      const pattern = `%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(sql`(u.email ILIKE ${pattern} OR u.display_name ILIKE ${pattern})`);
    }
    if (search.role) where.push(sql`u.role = ${search.role}`);
    if (search.active !== undefined) where.push(sql`u.active = ${search.active}`);
    const rows = await runSql(
      this.dataSource,
      sql`SELECT ${COLUMNS} FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
        ${where.length ? sql`WHERE ${joinSql(where, ' AND ')}` : rawSql('')} ORDER BY u.active DESC, u.display_name, u.email LIMIT ${search.limit}`,
    );
    return rows.map(toView);
  }

  async get(id: string): Promise<ManagedUser> {
    const [row] = isUuid(id) ? await runSql(this.dataSource, sql`SELECT ${COLUMNS} FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = ${id}`) : [];
    if (!row) throw new NotFound(`User ${id}`, 'USER_NOT_FOUND');
    return toView(row);
  }

  async create(caller: Caller, body: unknown): Promise<CreatedUser> {
    const input = parseOrThrow(newUserSchema, body);
    const organisationId = input.organisationId ?? null;
    if (input.role === 'reporter' && !organisationId) {
      throw new ValidationFailed([{ field: 'organisationId', reason: 'is required for a reporter: choose the voluntary organisation they report for' }]);
    }
    if (organisationId) await this.checkOrganisation(organisationId, input.role);
    const [taken] = await runSql(this.dataSource, sql`SELECT id FROM users WHERE lower(email) = lower(${input.email})`);
    if (taken) throw new Conflict('USER_EXISTS', `There is already an account for ${input.email}.`, { userId: taken.id });
    // With a link, the password nobody is told is never used: the person chooses their own.
    const password = temporaryPassword();
    const passwordHash = await hashPassword(input.sendLink ? randomBytes(32).toString('base64url') : password);
    let id: string;
    try {
      [{ id }] = await runSql(this.dataSource, sql`INSERT INTO users (email, display_name, role, organisation_id, password_hash, must_change_password) VALUES (${input.email}, ${input.displayName}, ${input.role}, ${organisationId}, ${passwordHash}, true) RETURNING id`);
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new Conflict('USER_EXISTS', `There is already an account for ${input.email}.`);
      throw err;
    }
    this.logger.log({ userId: id, role: input.role, byUserId: caller.userId, linkSent: input.sendLink === true }, 'User added');
    if (input.sendLink) {
      await this.passwords.sendLinkFor(caller, id, 'accountInvitation');
      return { user: await this.get(id), linkSent: true };
    }
    return { user: await this.get(id), temporaryPassword: password, linkSent: false };
  }

  /**
   * Changes an account: name, e-mail, role, organisation, active. A reporter must belong to a
   * voluntary organisation; nobody may take away their own administrator role or deactivate
   * themselves (another administrator must), so an installation is never left without one.
   */
  async update(caller: Caller, id: string, body: unknown): Promise<ManagedUser> {
    const patch = parseOrThrow(userPatchSchema, body);
    if (patch.active === false && id === caller.userId) {
      throw new Conflict('CANNOT_DEACTIVATE_SELF', 'You cannot deactivate your own account; ask another administrator.');
    }
    if (patch.role && patch.role !== caller.role && id === caller.userId) {
      throw new Conflict('CANNOT_CHANGE_OWN_ROLE', 'You cannot change your own role; ask another administrator.');
    }
    const current = await this.get(id);
    const role = patch.role ?? current.role;
    const organisationId = patch.organisationId === undefined ? (current.organisation?.id ?? null) : patch.organisationId;
    if (role === 'reporter' && !organisationId) {
      throw new ValidationFailed([{ field: 'organisationId', reason: 'is required for a reporter: choose the voluntary organisation they report for' }]);
    }
    if (organisationId && (patch.organisationId !== undefined || patch.role !== undefined)) await this.checkOrganisation(organisationId, role);
    if (patch.email && patch.email.toLowerCase() !== current.email.toLowerCase()) {
      const [taken] = await runSql(this.dataSource, sql`SELECT id FROM users WHERE lower(email) = lower(${patch.email}) AND id <> ${id}`);
      if (taken) throw new Conflict('USER_EXISTS', `There is already an account for ${patch.email}.`, { userId: taken.id });
    }
    try {
      await runSql(this.dataSource, sql`UPDATE users SET active = coalesce(${patch.active ?? null}, active), token_generation = token_generation + CASE WHEN ${patch.active ?? null} = false OR role <> ${role} THEN 1 ELSE 0 END, display_name = coalesce(${patch.displayName ?? null}, display_name), email = coalesce(${patch.email ?? null}, email), role = ${role}, organisation_id = ${organisationId} WHERE id = ${id}`);
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new Conflict('USER_EXISTS', `There is already an account for ${patch.email}.`);
      throw err;
    }
    // A deactivated account's page sessions and bearer tokens end at once, in every process: its
    // generation went up above (the same mechanism as signing out everywhere). So do they on a
    // change of role: the person signs in again as what they now are (an administrator with
    // their second factor).
    if (patch.active === false || role !== current.role) await runSql(this.dataSource, sql`DELETE FROM web_sessions WHERE user_id = ${id}`);
    this.logger.log({ userId: id, fields: Object.keys(patch), byUserId: caller.userId }, 'User updated');
    return this.get(id);
  }

  /** Ends every sign-in of the account (an administrator acting for someone who lost a device, say). */
  async signOutEverywhere(caller: Caller, id: string): Promise<void> {
    await this.get(id);
    await this.auth.signOutEverywhere(id, caller.userId);
    this.logger.log({ userId: id, byUserId: caller.userId }, 'Signed out everywhere by an administrator');
  }

  /** E-mails the person a link to choose a new password (instead of an administrator showing one). */
  async sendPasswordLink(caller: Caller, id: string): Promise<void> {
    await this.get(id);
    await this.passwords.sendLinkFor(caller, id, 'passwordReset');
  }

  /** The organisations a person is tied to, by name. */
  async ties(userId: string): Promise<UserTie[]> {
    await this.get(userId);
    const rows: Array<{ id: string; name: string; area: string | null; nature: string }> = await runSql(this.dataSource, sql`SELECT o.id, o.name, o.area, t.nature FROM user_organisation_ties t JOIN organisations o ON o.id = t.organisation_id WHERE t.user_id = ${userId} ORDER BY o.name`);
    return rows.map((r) => ({ organisation: { id: r.id, name: r.name, area: r.area }, nature: r.nature }));
  }

  /** Records a tie (or says again how they are tied); a mediator is never appointed to a case of an organisation they are tied to. */
  async addTie(caller: Caller, userId: string, body: unknown): Promise<UserTie[]> {
    const tie = parseOrThrow(userTieSchema, body);
    await this.get(userId);
    const [org] = await runSql(this.dataSource, sql`SELECT id FROM organisations WHERE id = ${tie.organisationId}`);
    if (!org) throw new ValidationFailed([{ field: 'organisationId', reason: 'is not a known organisation; choose one from the list' }]);
    await runSql(this.dataSource, sql`INSERT INTO user_organisation_ties (user_id, organisation_id, nature) VALUES (${userId}, ${tie.organisationId}, ${tie.nature})
       ON CONFLICT (user_id, organisation_id) DO UPDATE SET nature = EXCLUDED.nature`);
    this.logger.log({ userId, organisationId: tie.organisationId, byUserId: caller.userId }, 'Tie recorded');
    return this.ties(userId);
  }

  async removeTie(caller: Caller, userId: string, organisationId: string): Promise<UserTie[]> {
    const removed = isUuid(userId) && isUuid(organisationId)
      ? await runSql(this.dataSource, sql`DELETE FROM user_organisation_ties WHERE user_id = ${userId} AND organisation_id = ${organisationId} RETURNING 1`)
      : [];
    if (removed.length === 0) throw new NotFound('That tie', 'TIE_NOT_FOUND');
    this.logger.log({ userId, organisationId, byUserId: caller.userId }, 'Tie removed');
    return this.ties(userId);
  }

  private async checkOrganisation(organisationId: string, role: Role): Promise<void> {
    const [org] = isUuid(organisationId) ? await runSql(this.dataSource, sql`SELECT sector FROM organisations WHERE id = ${organisationId}`) : [];
    if (!org) throw new ValidationFailed([{ field: 'organisationId', reason: 'is not a known organisation; choose one from the list' }]);
    if (role === 'reporter' && org.sector !== 'voluntary') {
      throw new ValidationFailed([{ field: 'organisationId', reason: 'must be a voluntary or community organisation for a reporter, not a public body' }]);
    }
  }
}

function toView(r: Record<string, unknown>): ManagedUser {
  return {
    id: r.id as string,
    email: r.email as string,
    displayName: r.displayName as string,
    role: r.role as Role,
    organisation: (r.organisation as ManagedUser['organisation']) ?? null,
    active: r.active as boolean,
    createdAt: (r.createdAt as Date).toISOString(),
  };
}
