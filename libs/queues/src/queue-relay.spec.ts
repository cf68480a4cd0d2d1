import type { Queue } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { QueueJob, QueueRelay, pauseAfterRelay } from './queue-relay';
import { RedisTimeout } from './redis-calls';

/** What the relay did, in order, to the database and to Redis. */
type Step = string;

function fakes(options: { redisStatus?: string; addBulk?: (jobs: QueueJob[]) => Promise<unknown> } = {}) {
  const steps: Step[] = [];
  const manager = {
    query: jest.fn(async (text: string) => {
      steps.push(`query ${text}`);
      return [];
    }),
  } as unknown as EntityManager;
  const dataSource = {
    transaction: jest.fn(async (work: (m: EntityManager) => Promise<unknown>) => {
      steps.push('begin');
      const result = await work(manager);
      steps.push('commit');
      return result;
    }),
  } as unknown as DataSource;
  const queue = {
    backend: { client: Promise.resolve({ status: options.redisStatus ?? 'ready' }) },
    addBulk: jest.fn(async (jobs: QueueJob[]) => {
      steps.push(`addBulk ${jobs.length}`);
      return options.addBulk ? options.addBulk(jobs) : [];
    }),
  } as unknown as Queue;
  return { steps, dataSource, queue };
}

class TestRelay extends QueueRelay<{ id: string }> {
  givenBack: Array<{ id: string }[]> = [];

  constructor(
    private readonly steps: Step[],
    dataSource: DataSource,
    queue: Queue,
    private readonly batch: Array<{ id: string }>,
  ) {
    super({ dataSource, queue, redisTimeoutMs: 100, handOver: 'queue tests' });
  }

  protected async claimBatch(manager: EntityManager): Promise<Array<{ id: string }>> {
    await manager.query('claim');
    return this.batch;
  }

  protected jobsFor(rows: Array<{ id: string }>): QueueJob[] {
    return rows.map((r) => ({ name: 'test', data: { id: r.id }, opts: { jobId: `test_${r.id}` } }));
  }

  protected async giveBack(rows: Array<{ id: string }>): Promise<void> {
    this.steps.push('giveBack');
    this.givenBack.push(rows);
  }
}

describe('QueueRelay', () => {
  const batch = [{ id: 'a' }, { id: 'b' }];

  it('touches nothing while Redis is away', async () => {
    const { steps, dataSource, queue } = fakes({ redisStatus: 'reconnecting' });
    expect(await new TestRelay(steps, dataSource, queue, batch).relayOnce()).toBe(0);
    expect(steps).toEqual([]);
  });

  it('claims the batch in a transaction of its own, committed before Redis is asked for anything', async () => {
    const { steps, dataSource, queue } = fakes();
    expect(await new TestRelay(steps, dataSource, queue, batch).relayOnce()).toBe(2);
    expect(steps).toEqual(['begin', 'query SET LOCAL enable_bitmapscan = off', 'query claim', 'commit', 'addBulk 2']);
    expect((queue.addBulk as jest.Mock).mock.calls[0][0]).toEqual([
      { name: 'test', data: { id: 'a' }, opts: { jobId: 'test_a' } },
      { name: 'test', data: { id: 'b' }, opts: { jobId: 'test_b' } },
    ]);
  });

  it('asks Redis nothing when there is nothing to relay', async () => {
    const { steps, dataSource, queue } = fakes();
    expect(await new TestRelay(steps, dataSource, queue, []).relayOnce()).toBe(0);
    expect(steps).not.toContain('addBulk 0');
  });

  it('gives the batch back when the jobs cannot be added, and says so', async () => {
    const { steps, dataSource, queue } = fakes({ addBulk: async () => Promise.reject(new Error('READONLY')) });
    const relay = new TestRelay(steps, dataSource, queue, batch);
    await expect(relay.relayOnce()).rejects.toThrow('READONLY');
    expect(steps.slice(-2)).toEqual(['addBulk 2', 'giveBack']);
    expect(relay.givenBack).toEqual([batch]);
  });

  it('gives up on a Redis that does not answer in time, and gives the batch back', async () => {
    const { steps, dataSource, queue } = fakes({ addBulk: () => new Promise(() => undefined) });
    const relay = new TestRelay(steps, dataSource, queue, batch);
    await expect(relay.relayOnce()).rejects.toBeInstanceOf(RedisTimeout);
    expect(relay.givenBack).toEqual([batch]);
  });
});

describe('pauseAfterRelay', () => {
  it('goes straight on while there is work, so a backlog is caught up', () => {
    expect(pauseAfterRelay(500, 250)).toBe(0);
  });

  it('waits the relay interval when there was nothing to relay (or Redis was away)', () => {
    expect(pauseAfterRelay(0, 250)).toBe(250);
  });

  it('backs off for at least a second after a failure', () => {
    expect(pauseAfterRelay(undefined, 250)).toBe(1_000);
    expect(pauseAfterRelay(undefined, 5_000)).toBe(5_000);
  });
});
