import { Injectable } from '@nestjs/common';
import { Conflict } from '@cc/common';
import type { Caller } from '@cc/identity';
import { ErasePerson, ErasurePreview } from '../erase-person/erase-person';
import { DataProtectionRequest, DataProtectionRequests, assertAdministrator } from './data-protection-requests';

/**
 * An erasure request carried out: the person erased with ErasePerson (which refuses, with the
 * reasons, where the data must be kept), then the request answered. Two transactions, not one:
 * ErasePerson owns its own. Should the second fail, the person is erased and the request is still
 * open, and the administrator marks it answered by hand; the reverse (answered but not erased)
 * cannot happen.
 */
@Injectable()
export class CarryOutErasure {
  constructor(
    private readonly requests: DataProtectionRequests,
    private readonly erasePerson: ErasePerson,
  ) {}

  async preview(caller: Caller, request: DataProtectionRequest): Promise<ErasurePreview | null> {
    assertAdministrator(caller);
    return request.kind === 'erasure' && request.status === 'open' ? this.erasePerson.preview(request.email, caller) : null;
  }

  async execute(caller: Caller, requestId: string): Promise<DataProtectionRequest> {
    const request = await this.requests.get(caller, requestId);
    if (request.kind !== 'erasure' || request.status !== 'open') {
      throw new Conflict('NOT_AN_OPEN_ERASURE_REQUEST', 'Only an erasure request that is still open can be carried out.', { allowedActions: request.status === 'open' ? ['gather', 'close'] : [] });
    }
    const result = await this.erasePerson.erase(caller, request.email);
    return this.requests.close(caller, requestId, { outcome: 'done', note: `Erased: their name is now “${result.label}” on every record, and their account is closed.` });
  }
}
