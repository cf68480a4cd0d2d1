import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Conflict, NotFound, ValidationFailed, isUuid, parseOrThrow } from '@cc/common';
import { queryRows } from '@cc/persistence';
import type { Role } from '@cc/workflows';
import { AccountStanding } from '../account-standing.service';
import type { Caller } from '../caller';
import { hashPassword } from '../passwords';

export const USER_ROLES = ['reporter', 'caseworker', 'mediator', 'administrator'] as const satisfies readonly Role[];

export const newUserSchema = z
  .object({
    email: z.email({ message: 'must be an e-mail address, like name@example.org' }).max(254, 'must be at most 254 characters'),
    displayName: z.string().trim().min(2, 'must be 2 to 120 characters').max(120, 'must be 2 to 120 characters'),
    role: z.enum(USER_ROLES, { message: `must be one of ${USER_ROLES.join(', ')}` }),
    organisationId: z.uuid({ message: 'must be an organisation from the list' }).nullable().optional(),
  })
  .strict();

export const userPatchSchema = z
  .object({
    active: z.boolean({ message: 'must be true or false' }).optional(),
    displayName: z.string().trim().min(2, 'must be 2 to 120 characters').max(120, 'must be 2 to 120 characters').optional(),
  })
  .strict();

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
  /** Shown to the administrator once, to pass on; only its hash is stored. */
  temporaryPassword: string;
}

export interface UserSearch {
  q?: string;
  role?: Role;
  active?: boolean;
  limit: number;
}

const COLUMNS = `u.id, u.email, u.display_name AS "displayName", u.role, u.active, u.created_at AS "createdAt",
  CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object('id', o.id, 'name', o.name) END AS organisation`;

/** Temporary passwords: 4 groups of 4 from an alphabet without look-alikes (about 80 bits). */
export function temporaryPassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/**
 * Administrators manage accounts: list them, add one with a role (a reporter needs an
 * organisation) and a temporary password, and deactivate or reactivate. An account is never
 * deleted: cases and events name it.
 */
@Injectable()
export class ManageUsers {
  private readonly logger = new Logger(ManageUsers.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly standing: AccountStanding,
  ) {}

  async list(search: UserSearch): Promise<ManagedUser[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (search.q) {
      params.push(`%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(u.email ILIKE $${params.length} OR u.display_name ILIKE $${params.length})`);
    }
    if (search.role) {
      params.push(search.role);
      where.push(`u.role = $${params.length}`);
    }
    if (search.active !== undefined) {
      params.push(search.active);
      where.push(`u.active = $${params.length}`);
    }
    params.push(search.limit);
    const rows = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY u.active DESC, u.display_name, u.email LIMIT $${params.length}`,
      params,
    );
    return rows.map(toView);
  }

  async get(id: string): Promise<ManagedUser> {
    const [row] = isUuid(id) ? await this.dataSource.query(`SELECT ${COLUMNS} FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id WHERE u.id = $1`, [id]) : [];
    if (!row) throw new NotFound(`User ${id}`, 'USER_NOT_FOUND');
    return toView(row);
  }

  async create(body: unknown): Promise<CreatedUser> {
    const input = parseOrThrow(newUserSchema, body);
    const organisationId = input.organisationId ?? null;
    if (input.role === 'reporter' && !organisationId) {
      throw new ValidationFailed([{ field: 'organisationId', reason: 'is required for a reporter: choose the voluntary organisation they report for' }]);
    }
    if (organisationId) {
      const [org] = await this.dataSource.query(`SELECT sector FROM organisations WHERE id = $1`, [organisationId]);
      if (!org) throw new ValidationFailed([{ field: 'organisationId', reason: 'is not a known organisation; choose one from the list' }]);
      if (input.role === 'reporter' && org.sector !== 'voluntary') {
        throw new ValidationFailed([{ field: 'organisationId', reason: 'must be a voluntary or community organisation for a reporter, not a public body' }]);
      }
    }
    const [taken] = await this.dataSource.query(`SELECT id FROM users WHERE lower(email) = lower($1)`, [input.email]);
    if (taken) throw new Conflict('USER_EXISTS', `There is already an account for ${input.email}.`, { userId: taken.id });
    const password = temporaryPassword();
    const passwordHash = await hashPassword(password);
    let id: string;
    try {
      [{ id }] = await this.dataSource.query(
        `INSERT INTO users (email, display_name, role, organisation_id, password_hash) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [input.email, input.displayName, input.role, organisationId, passwordHash],
      );
    } catch (err) {
      if ((err as { code?: string }).code === '23505') throw new Conflict('USER_EXISTS', `There is already an account for ${input.email}.`);
      throw err;
    }
    this.logger.log({ userId: id, role: input.role }, 'User added');
    return { user: await this.get(id), temporaryPassword: password };
  }

  async update(caller: Caller, id: string, body: unknown): Promise<ManagedUser> {
    const patch = parseOrThrow(userPatchSchema, body);
    if (patch.active === false && id === caller.userId) {
      throw new Conflict('CANNOT_DEACTIVATE_SELF', 'You cannot deactivate your own account; ask another administrator.');
    }
    const updated = isUuid(id)
      ? await queryRows<{ id: string }>(
          this.dataSource,
          `UPDATE users SET active = coalesce($2, active), display_name = coalesce($3, display_name) WHERE id = $1 RETURNING id`,
          [id, patch.active ?? null, patch.displayName ?? null],
        )
      : [];
    if (updated.length === 0) throw new NotFound(`User ${id}`, 'USER_NOT_FOUND');
    // A deactivated account's page sessions end at once; its bearer tokens stop working here at
    // once and in other processes within seconds (AccountStanding).
    if (patch.active === false) await this.dataSource.query(`DELETE FROM web_sessions WHERE user_id = $1`, [id]);
    if (patch.active !== undefined) this.standing.forget(id);
    this.logger.log({ userId: id, fields: Object.keys(patch), byUserId: caller.userId }, 'User updated');
    return this.get(id);
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
