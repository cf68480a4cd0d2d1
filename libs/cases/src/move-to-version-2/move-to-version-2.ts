import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Forbidden } from '@cc/common';
import type { Caller } from '@cc/identity';
import { stateName } from '@cc/wording';
import { planMoveToVersion2, workflowFor } from '@cc/workflows';
import { MoveCandidate, MoveDryRun, MoveRunResult, MovedCase, StayedCase } from './move-to-version-2.dto';
import { CaseToMove, MoveToVersion2Store } from './move-to-version-2.store';

const ALREADY_MOVED = 'It is already on version 2 of the process, so there is nothing to move.';
const CLOSED = 'It is closed, so it stays on the version it ran on.';
const NOT_FOUND = 'There is no case with this id.';
const OUT_OF_STEP = 'Its saved process state does not match the step it is recorded at, so it stays on version 1 until someone has looked at it.';

const words = (state: string): string => stateName(state) ?? 'An unknown step';

/**
 * Moving running cases from version 1 of the process to version 2 (administrators only). The
 * dry run plans every open version 1 case; the run moves each in a transaction of its own, planned
 * again from the row as locked, so a case that changed after the dry run moves as it is then (or
 * stays, if it can no longer move). A case that stays is left exactly as it was.
 */
@Injectable()
export class MoveToVersion2 {
  private readonly logger = new Logger(MoveToVersion2.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: MoveToVersion2Store,
  ) {}

  async dryRun(caller: Caller): Promise<MoveDryRun> {
    assertAdministrator(caller);
    const cases = (await this.store.openVersion1Cases()).map(candidate);
    const movable = cases.filter((c) => c.movable).length;
    return { total: cases.length, movable, cannotMove: cases.length - movable, cases };
  }

  /** Moves the cases named (each once), or every open version 1 case when none are. */
  async run(caller: Caller, caseIds?: readonly string[]): Promise<MoveRunResult> {
    assertAdministrator(caller);
    const started = Date.now();
    const ids = caseIds ? [...new Set(caseIds.map((id) => id.toLowerCase()))] : (await this.store.openVersion1Cases()).map((c) => c.id);
    const result: MoveRunResult = { moved: [], stayed: [] };
    let failure: unknown;
    try {
      for (const id of ids) {
        const outcome = await this.moveOne(caller, id);
        if ('code' in outcome) result.stayed.push(outcome);
        else result.moved.push(outcome);
      }
    } catch (err) {
      failure = err;
      throw err;
    } finally {
      const stayedBy = (code: StayedCase['code']) => result.stayed.filter((s) => s.code === code).length;
      this.logger.log(
        {
          actorId: caller.userId,
          named: caseIds ? ids.length : null,
          considered: result.moved.length + result.stayed.length,
          moved: result.moved.length,
          cannotMove: stayedBy('cannotMove'),
          alreadyMoved: stayedBy('alreadyMoved'),
          closed: stayedBy('closed'),
          notFound: stayedBy('notFound'),
          failed: failure ? String(failure) : undefined,
          ms: Date.now() - started,
        },
        'Cases moved to process version 2',
      );
    }
    return result;
  }

  /** One case in its own transaction: locked, planned again, and moved or left as it is. */
  private moveOne(caller: Caller, id: string): Promise<MovedCase | StayedCase> {
    return this.dataSource.transaction(async (manager) => {
      const row = await this.store.lock(manager, id);
      if (!row) return { id, reference: null, state: null, where: null, code: 'notFound', reason: NOT_FOUND };
      const stay = (code: StayedCase['code'], reason: string): StayedCase => ({ id: row.id, reference: row.reference, state: row.state, where: words(row.state), code, reason });
      if (row.machineVersion !== 1) return stay('alreadyMoved', ALREADY_MOVED);
      if (row.stage === 'closed') return stay('closed', CLOSED);
      const plan = planFor(row);
      if (!plan.movable) return stay('cannotMove', plan.reason);
      const { stage } = workflowFor(2).view(plan.snapshot);
      const moved = await this.store.move(manager, row, { snapshot: plan.snapshot, state: plan.state, stage, actorId: caller.userId, actorRole: caller.role, at: new Date().toISOString() });
      if (!moved) throw new Error(`Case ${row.reference} changed while locked for its move to version 2`);
      return { id: row.id, reference: row.reference, state: plan.state, where: words(plan.state) };
    });
  }
}

/**
 * The plan for a case as stored. Version 2 keeps each case at the step it is at, so a plan to any
 * other step means the row and its snapshot disagree (a hand edit, say): that is left for a person.
 */
function planFor(row: CaseToMove): ReturnType<typeof planMoveToVersion2> {
  const plan = planMoveToVersion2(row.snapshot);
  return plan.movable && plan.state !== row.state ? { movable: false, reason: OUT_OF_STEP } : plan;
}

function candidate(row: CaseToMove): MoveCandidate {
  const plan = planFor(row);
  const base = { id: row.id, reference: row.reference, state: row.state, where: words(row.state) };
  return plan.movable
    ? { ...base, movable: true, targetState: plan.state, target: words(plan.state), reason: null }
    : { ...base, movable: false, targetState: null, target: null, reason: plan.reason };
}

function assertAdministrator(caller: Caller): void {
  if (caller.role !== 'administrator') {
    throw new Forbidden('ADMINISTRATORS_ONLY', 'Only an administrator can move cases to another version of the process.');
  }
}
