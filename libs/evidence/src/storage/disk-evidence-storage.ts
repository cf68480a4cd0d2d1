import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { isUuid } from '@cc/common';
import { EvidenceStorage } from './evidence-storage';

/**
 * Evidence on the local disk under `root`, spread over 256 folders by the key's first two
 * characters so no folder grows huge. A file appears under its final name only once complete:
 * it is renamed into place, and copied to a temporary name first when it comes from another disk.
 */
export class DiskEvidenceStorage extends EvidenceStorage {
  constructor(private readonly root: string) {
    super();
  }

  newKey(): string {
    return randomUUID();
  }

  async put(key: string, sourcePath: string): Promise<void> {
    const target = this.pathOf(key);
    await mkdir(join(this.root, key.slice(0, 2)), { recursive: true });
    try {
      await rename(sourcePath, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      const partial = join(this.root, '.partial', randomUUID());
      await mkdir(join(this.root, '.partial'), { recursive: true });
      try {
        await copyFile(sourcePath, partial);
        await syncFile(partial);
        await rename(partial, target);
      } finally {
        await rm(partial, { force: true });
      }
      await rm(sourcePath, { force: true });
    }
  }

  async open(key: string): Promise<Readable> {
    // Opened before returning, so a missing file rejects here rather than mid-response.
    const handle = await open(this.pathOf(key), 'r');
    return handle.createReadStream();
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    // Keys are ours, but a bad one must never reach the file system as a path.
    if (!isUuid(key)) throw new Error(`Not an evidence storage key: ${JSON.stringify(key)}`);
    return join(this.root, key.slice(0, 2), key);
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
