import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { Job } from 'bullmq';
import { APP_CONFIG, AppConfig } from '@cc/config';
import { DEADLINES_QUEUE, DEADLINE_REMINDER_JOB, QueueProcessor, SWEEP_JOB } from '@cc/queues';
import type { DeadlineKind } from '@cc/workflows';
import { DeadlineFiring } from './deadline-firing.service';
import { DeadlineWakeups } from '../relay-wakeups/deadline-wakeups.service';

/** A wake-up came a little early (clocks differ): wait this long at most rather than leave it to the sweeper. */
const MAX_EARLY_WAIT_MS = 5_000;

@Processor(DEADLINES_QUEUE)
export class DeadlinesProcessor extends QueueProcessor {
  constructor(
    private readonly firing: DeadlineFiring,
    private readonly wakeups: DeadlineWakeups,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super({ concurrency: config.WORKER_CONCURRENCY, redisTimeoutMs: config.REDIS_TIMEOUT_MS });
  }

  async process(job: Job<{ deadlineId?: string; kind?: DeadlineKind }>): Promise<string> {
    if (job.name === SWEEP_JOB) return `swept ${await this.wakeups.sweep()}`;
    const id = job.data.deadlineId!;
    const fire = () => (job.name === DEADLINE_REMINDER_JOB ? this.firing.remind(id) : this.firing.fire(id, job.data.kind));
    let result = await fire();
    if (result.outcome === 'notDue' && result.dueInMs !== undefined && result.dueInMs <= MAX_EARLY_WAIT_MS) {
      if (!(await this.wait(Math.max(0, result.dueInMs) + 5))) {
        // Stopping: hand the wake-up to another worker's relay now rather than leave it to the sweeper.
        await this.wakeups.relayAgain(id, job.name === DEADLINE_REMINDER_JOB ? 'reminder' : 'due');
        return 'released';
      }
      result = await fire();
    }
    return result.outcome;
  }

  /** A wake-up waiting for its moment gives it back; the firings in hand finish. */
  protected windDown(): void {
    this.stopping = true;
    for (const wake of this.sleepers.splice(0)) wake();
  }

  private stopping = false;
  private readonly sleepers: Array<() => void> = [];

  /** Waits, unless the worker starts stopping first; says whether the wait ran its course. */
  private wait(ms: number): Promise<boolean> {
    if (this.stopping) return Promise.resolve(false);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.sleepers.splice(this.sleepers.indexOf(wake), 1);
        resolve(true);
      }, ms);
      this.sleepers.push(wake);
    });
  }
}
