import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { runPrepared, sql } from '@cc/persistence';
import type { Role } from '@cc/workflows';
import { UserTieEntity } from './user-tie.entity';
import { UserEntity } from './user.entity';

/** Lookups of people that other modules need (assignees, mediators and their ties). */
@Injectable()
export class UsersDirectory {
  constructor(
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectRepository(UserTieEntity) private readonly ties: Repository<UserTieEntity>,
  ) {}

  findActive(id: string, role?: Role): Promise<UserEntity | null> {
    return this.users.findOneBy({ id, active: true, ...(role ? { role } : {}) });
  }

  /** Organisations a person is tied to: their own organisation and any declared ties. */
  async organisationTies(userId: string): Promise<string[]> {
    const user = await this.users.findOneBy({ id: userId });
    const ties = await this.ties.findBy({ userId });
    return [...new Set([...(user?.organisationId ? [user.organisationId] : []), ...ties.map((t) => t.organisationId)])];
  }

  async displayNames(ids: string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids.filter(Boolean))];
    if (unique.length === 0) return new Map();
    const rows = await runPrepared<{ id: string; displayName: string }>(this.users.manager, sql`SELECT id, display_name AS "displayName" FROM users WHERE id = ANY(${unique}::uuid[])`);
    return new Map(rows.map((u) => [u.id, u.displayName]));
  }
}
