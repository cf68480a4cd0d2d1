import { ON_WORKER_EVENT_METADATA } from '@nestjs/bullmq/dist/bull.constants';
import type { Job } from 'bullmq';
import { QueueProcessor } from './queue-processor';

class TestProcessor extends QueueProcessor {
  readonly steps: string[] = [];

  constructor() {
    super({ concurrency: 7, redisTimeoutMs: 3_000 });
  }

  async process(job: Job): Promise<string> {
    return job.name;
  }

  protected async windDown(): Promise<void> {
    this.steps.push('windDown');
  }
}

function withWorker(processor: TestProcessor, redisStatus: string) {
  const worker = {
    concurrency: 1,
    backend: { client: Promise.resolve({ status: redisStatus }) },
    close: jest.fn(async (force?: boolean) => {
      processor.steps.push(`close force=${force}`);
    }),
  };
  (processor as unknown as { _worker: unknown })._worker = worker;
  return worker;
}

describe('QueueProcessor', () => {
  it('sets the worker’s concurrency', () => {
    const processor = new TestProcessor();
    const worker = withWorker(processor, 'ready');
    processor.onModuleInit();
    expect(worker.concurrency).toBe(7);
  });

  it('listens to queue-level errors and logs each as one structured warning, under the processor’s name', () => {
    const processor = new TestProcessor();
    expect(Reflect.getMetadata(ON_WORKER_EVENT_METADATA, processor.onWorkerError)).toEqual({ eventName: 'error' });
    const logger = (processor as unknown as { logger: { context?: string; warn: (...args: unknown[]) => void } }).logger;
    expect(logger.context).toBe('TestProcessor');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    expect(() => processor.onWorkerError(new Error('Connection is closed.'))).not.toThrow();
    expect(warn).toHaveBeenCalledWith({ err: 'Connection is closed.' }, 'Queue error; the work stays in the database and will be queued again');
  });

  it('winds down first, then closes the worker politely while Redis answers', async () => {
    const processor = new TestProcessor();
    withWorker(processor, 'ready');
    await processor.stop();
    expect(processor.steps).toEqual(['windDown', 'close force=false']);
  });

  it('drops the connection rather than wait for a Redis that is away', async () => {
    const processor = new TestProcessor();
    withWorker(processor, 'reconnecting');
    await processor.stop();
    expect(processor.steps).toEqual(['windDown', 'close force=true']);
  });
});
