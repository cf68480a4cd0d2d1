import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '@cc/common';
import type { Caller } from '@cc/identity';
import { workflowFor } from '@cc/workflows';
import { MoveToVersion2 } from './move-to-version-2';
import type { CaseToMove, MoveToVersion2Store, VersionMove } from './move-to-version-2.store';

const admin: Caller = { userId: '11111111-1111-4111-8111-111111111111', role: 'administrator', organisationId: null };
const started = workflowFor(1).start({ reportingOrganisationId: 'org-r', respondentOrganisationId: 'org-p', submittedAt: '2026-11-02T10:00:00.000Z' });

const row = (id: string, over: Partial<CaseToMove> = {}): CaseToMove => ({
  id,
  reference: `CB-2026-0000${id}`,
  machineVersion: 1,
  snapshot: started.snapshot,
  state: 'submitted',
  stage: 'submitted',
  version: 1,
  ...over,
});

/** The use case over a store held in memory: what it reads, locks and writes. */
function harness(rows: CaseToMove[]) {
  const table = new Map(rows.map((r) => [r.id, r]));
  const moves: Array<{ id: string; to: VersionMove }> = [];
  let transactions = 0;
  const store = {
    openVersion1Cases: async () => [...table.values()].filter((r) => r.machineVersion === 1 && r.stage !== 'closed'),
    lock: async (_m: EntityManager, id: string) => table.get(id),
    move: async (_m: EntityManager, locked: CaseToMove, to: VersionMove) => {
      moves.push({ id: locked.id, to });
      table.set(locked.id, { ...locked, machineVersion: 2, snapshot: to.snapshot, state: to.state, stage: to.stage, version: locked.version + 1 });
      return true;
    },
  } as unknown as MoveToVersion2Store;
  const dataSource = {
    transaction: async <T>(work: (m: EntityManager) => Promise<T>) => {
      transactions++;
      return work({} as EntityManager);
    },
  } as unknown as DataSource;
  return { move: new MoveToVersion2(dataSource, store), table, moves, transactions: () => transactions };
}

describe('MoveToVersion2', () => {
  it('refuses anyone but an administrator before reading a case', async () => {
    const h = harness([row('1')]);
    for (const role of ['caseworker', 'reporter', 'mediator', 'respondent'] as const) {
      const caller = { ...admin, role };
      await expect(h.move.dryRun(caller)).rejects.toMatchObject({ kind: 'forbidden', code: 'ADMINISTRATORS_ONLY' });
      await expect(h.move.run(caller)).rejects.toBeInstanceOf(DomainError);
    }
    expect(h.transactions()).toBe(0);
  });

  it('plans each open version 1 case in words, and says why one cannot move', async () => {
    const h = harness([row('1'), row('2', { snapshot: { value: 'limbo', context: {} } }), row('3', { stage: 'closed', state: 'closed' }), row('4', { state: 'triage.reviewing', stage: 'triage' })]);
    const plan = await h.move.dryRun(admin);
    expect(plan).toMatchObject({ total: 3, movable: 1, cannotMove: 2 });
    expect(plan.cases[0]).toEqual({
      id: '1',
      reference: 'CB-2026-00001',
      state: 'submitted',
      where: 'New report, waiting for a caseworker',
      movable: true,
      targetState: 'submitted',
      target: 'New report, waiting for a caseworker',
      reason: null,
    });
    expect(plan.cases[1]).toMatchObject({ id: '2', movable: false, targetState: null, target: null, reason: expect.stringMatching(/^[A-Z].+\.$/) });
    // Recorded at one step, saved at another: not moved until a person has looked.
    expect(plan.cases[2]).toMatchObject({ id: '4', where: 'Triage', movable: false, reason: expect.stringContaining('does not match') });
  });

  it('moves each case in a transaction of its own, from the row as locked, and once only', async () => {
    const h = harness([row('1'), row('2', { machineVersion: 2 }), row('3', { stage: 'closed', state: 'closed' }), row('4', { snapshot: { value: 'limbo', context: {} } }), row('6', { state: 'triage.reviewing' })]);
    const result = await h.move.run(admin, ['1', '2', '3', '4', '5', '1', '6']);
    expect(result.moved).toEqual([{ id: '1', reference: 'CB-2026-00001', state: 'submitted', where: 'New report, waiting for a caseworker' }]);
    expect(result.stayed.map((s) => [s.id, s.code])).toEqual([
      ['2', 'alreadyMoved'],
      ['3', 'closed'],
      ['4', 'cannotMove'],
      ['5', 'notFound'],
      ['6', 'cannotMove'],
    ]);
    expect(h.transactions()).toBe(6);
    expect(h.moves).toHaveLength(1);
    expect(h.moves[0].to).toMatchObject({ state: 'submitted', stage: 'submitted', actorId: admin.userId, actorRole: 'administrator' });
    expect(workflowFor(2).view(h.moves[0].to.snapshot).state).toBe('submitted');
    // Run again: the case is on version 2 now, so nothing moves.
    const again = await h.move.run(admin, ['1']);
    expect(again).toEqual({ moved: [], stayed: [expect.objectContaining({ id: '1', code: 'alreadyMoved' })] });
  });
});
