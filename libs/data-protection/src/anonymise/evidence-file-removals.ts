import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EvidenceStorage } from '@cc/evidence';
import { runSql, sql } from '@cc/persistence';

/** Longest wait for one file's removal, so a hung disk or object store cannot hold the job for ever. */
const REMOVE_TIMEOUT_MS = 10_000;

/**
 * Removes evidence files queued by anonymisation, erasure and the unsent-documents rule. The
 * queue entry is written with the row change in one transaction and removed only after the file
 * is gone, so nothing is left behind if the worker dies in between: the next pass removes it
 * (removing a missing file is not an error). No transaction is open while storage is called.
 */
@Injectable()
export class EvidenceFileRemovals {
  private readonly logger = new Logger(EvidenceFileRemovals.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: EvidenceStorage,
  ) {}

  /** Removes every queued file; returns how many. A file that cannot be removed now stays queued. */
  async drain(batchSize = 200): Promise<number> {
    let removed = 0;
    for (;;) {
      const keys = await runSql<{ key: string }>(this.dataSource, sql`SELECT storage_key AS key FROM retention_file_removals ORDER BY queued_at, storage_key LIMIT ${batchSize}`);
      if (keys.length === 0) return removed;
      const done: string[] = [];
      for (const { key } of keys) {
        try {
          await withTimeout(this.storage.remove(key), REMOVE_TIMEOUT_MS);
          done.push(key);
        } catch (err) {
          this.logger.warn({ storageKey: key, err: err instanceof Error ? err.message : String(err) }, 'An evidence file could not be removed; the next retention pass tries again');
        }
      }
      if (done.length > 0) await runSql(this.dataSource, sql`DELETE FROM retention_file_removals WHERE storage_key = ANY(${done}::text[])`);
      removed += done.length;
      if (done.length < keys.length) return removed;
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
