import { Injectable, Logger } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Conflict, Forbidden, NotFound } from '@cc/common';
import type { Caller } from '@cc/identity';
import { EvidenceFileRemovals } from '../anonymise/evidence-file-removals';
import { ErasureCounts, ErasureRefusal, PersonErasure, erasureLabel } from './person-erasure';

export type { ErasureCounts, ErasureRefusal, ErasureRefusalCode } from './person-erasure';

/** What erasing the person at an address would do, or why it cannot be done now. */
export interface ErasurePreview {
  email: string;
  /** False when nothing is held about the address: no account, no contact record, no e-mail to or from it. */
  found: boolean;
  /** Who they are to the service ("reporter", "caseworker", "respondent" for a public body's contact), if they have an account. */
  role: string | null;
  /** The label their name is replaced with, e.g. "Former reporter". */
  label: string;
  changes: ErasureCounts;
  refusals: ErasureRefusal[];
  canErase: boolean;
}

export interface ErasureResult {
  email: string;
  label: string;
  changed: ErasureCounts;
}

export class EraseRequest {
  @ApiProperty({ example: 'rita@example.org', description: 'The e-mail address of the person to erase' })
  @IsString({ message: 'must be text' })
  @MaxLength(320, { message: 'must be at most 320 characters' })
  @IsEmail({}, { message: 'must be an e-mail address' })
  email: string;
}

/**
 * Erasure on request (UK GDPR article 17), for helper SAR's erasure requests and the
 * administrator's page: `preview` says what would change or why not; `erase` does it in one
 * transaction, or refuses (409, with the reasons) where the data must be kept: the person is on
 * an open case or one under legal hold, it is the administrator's own account, or the last
 * administrator. Statistics are unchanged: only who people are is replaced, never what happened.
 */
@Injectable()
export class ErasePerson {
  private readonly logger = new Logger(ErasePerson.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly erasure: PersonErasure,
    private readonly files: EvidenceFileRemovals,
  ) {}

  async preview(email: string, caller?: Caller): Promise<ErasurePreview> {
    const m = this.dataSource.manager;
    const subject = await this.erasure.subject(m, email);
    const found = await this.erasure.holdsAnything(m, subject);
    const [changes, refusals] = await Promise.all([this.erasure.counts(m, subject), this.erasure.refusals(m, subject, caller ?? null)]);
    return { email: subject.email, found, role: subject.role, label: erasureLabel(subject.role), changes, refusals, canErase: found && refusals.length === 0 };
  }

  async erase(caller: Caller, email: string): Promise<ErasureResult> {
    if (caller.role !== 'administrator') throw new Forbidden('ADMINISTRATORS_ONLY', 'Only an administrator can erase a person.');
    const result = await this.dataSource.transaction(async (m) => {
      const subject = await this.erasure.subject(m, email);
      // The account row is locked, so two erasures (or an erasure and a sign-in) cannot cross.
      if (subject.userId) await m.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [subject.userId]);
      if (!(await this.erasure.holdsAnything(m, subject))) throw new NotFound('A person with that e-mail address', 'PERSON_NOT_FOUND');
      const refusals = await this.erasure.refusals(m, subject, caller);
      if (refusals.length) {
        throw new Conflict('ERASURE_REFUSED', `The person cannot be erased now: ${refusals.map((r) => r.reason).join(' ')}`, { refusals });
      }
      const changed = await this.erasure.apply(m, subject, caller.userId);
      return { email: subject.email, label: erasureLabel(subject.role), changed, userId: subject.userId };
    });
    await this.files.drain();
    // The log names the account by id only: the address is what was just erased.
    this.logger.log({ event: 'person-erased', userId: result.userId, by: caller.userId, label: result.label, changed: result.changed }, 'A person was erased');
    return { email: result.email, label: result.label, changed: result.changed };
  }
}
