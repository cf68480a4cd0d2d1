import type { Readable } from 'node:stream';

/**
 * Where evidence bytes live. An abstract class so it can be the injection token: the disk
 * implementation ships; an object store can replace it without touching the use cases.
 */
export abstract class EvidenceStorage {
  /** A fresh random key; keys never come from anything the uploader chose. */
  abstract newKey(): string;
  /** Stores a complete file under `key`, taking the file at `sourcePath` (which is gone afterwards). */
  abstract put(key: string, sourcePath: string): Promise<void>;
  /** The stored bytes; rejects if there is nothing under `key`. */
  abstract open(key: string): Promise<Readable>;
  /** Removes the file; removing a missing key is not an error. */
  abstract remove(key: string): Promise<void>;
}
