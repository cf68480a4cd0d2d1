import { open } from 'node:fs/promises';

/** One entry of a ZIP's central directory: enough to tell what kind of document the ZIP is. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
}

export type ZipDirectory = { ok: true; entries: ZipEntry[] } | { ok: false; problem: string };

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN = 22;
const MAX_COMMENT = 0xffff;
// Office documents have tens to a few thousand entries; far more is a zip bomb or garbage.
const MAX_ENTRIES = 20_000;
const MAX_DIRECTORY_BYTES = 8 * 1024 * 1024;

/**
 * Reads a ZIP's central directory (found through the End Of Central Directory record at the end
 * of the file) without unpacking anything. Every length and offset is checked against the file
 * before use, so a truncated or hostile file gives `ok: false`, never an exception or a huge read.
 */
export async function readZipDirectory(filePath: string): Promise<ZipDirectory> {
  const file = await open(filePath, 'r');
  try {
    const { size } = await file.stat();
    if (size < EOCD_MIN) return { ok: false, problem: 'too short to be a ZIP' };
    const tailLength = Math.min(size, EOCD_MIN + MAX_COMMENT);
    const tail = await readAt(file, size - tailLength, tailLength);
    const eocdInTail = findEocd(tail);
    if (eocdInTail < 0) return { ok: false, problem: 'no end of central directory record (truncated?)' };
    const eocdOffset = size - tailLength + eocdInTail;
    const diskNumber = tail.readUInt16LE(eocdInTail + 4);
    const directoryDisk = tail.readUInt16LE(eocdInTail + 6);
    const entriesOnDisk = tail.readUInt16LE(eocdInTail + 8);
    const totalEntries = tail.readUInt16LE(eocdInTail + 10);
    const directorySize = tail.readUInt32LE(eocdInTail + 12);
    const directoryOffset = tail.readUInt32LE(eocdInTail + 16);
    if (diskNumber !== 0 || directoryDisk !== 0 || entriesOnDisk !== totalEntries) return { ok: false, problem: 'a multi-part ZIP' };
    if (totalEntries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      return { ok: false, problem: 'a ZIP64 archive' };
    }
    if (totalEntries > MAX_ENTRIES || directorySize > MAX_DIRECTORY_BYTES) return { ok: false, problem: 'too many entries' };
    if (directoryOffset + directorySize > eocdOffset) return { ok: false, problem: 'the central directory lies outside the file' };

    const directory = await readAt(file, directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let i = 0; i < totalEntries; i++) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
        return { ok: false, problem: 'a damaged central directory' };
      }
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      const next = at + 46 + nameLength + extraLength + commentLength;
      if (next > directory.length) return { ok: false, problem: 'a damaged central directory' };
      const localHeaderOffset = directory.readUInt32LE(at + 42);
      if (localHeaderOffset >= directoryOffset) return { ok: false, problem: 'an entry points outside the file' };
      entries.push({
        name: directory.toString('utf8', at + 46, at + 46 + nameLength),
        method: directory.readUInt16LE(at + 10),
        compressedSize: directory.readUInt32LE(at + 20),
        localHeaderOffset,
      });
      at = next;
    }
    return { ok: true, entries };
  } finally {
    await file.close();
  }
}

/** The stored (uncompressed) bytes of one entry, at most `limit` of them; null if it is compressed or damaged. */
export async function readStoredEntry(filePath: string, entry: ZipEntry, limit: number): Promise<Buffer | null> {
  if (entry.method !== 0) return null;
  const file = await open(filePath, 'r');
  try {
    const { size } = await file.stat();
    if (entry.localHeaderOffset + 30 > size) return null;
    const header = await readAt(file, entry.localHeaderOffset, 30);
    if (header.readUInt32LE(0) !== LOCAL_SIGNATURE) return null;
    const dataStart = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const length = Math.min(entry.compressedSize, limit);
    if (dataStart + length > size) return null;
    return readAt(file, dataStart, length);
  } finally {
    await file.close();
  }
}

function findEocd(tail: Buffer): number {
  for (let i = tail.length - EOCD_MIN; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== EOCD_SIGNATURE) continue;
    // The comment must run exactly to the end of the file, or this is a stray signature.
    if (i + EOCD_MIN + tail.readUInt16LE(i + 20) === tail.length) return i;
  }
  return -1;
}

async function readAt(file: Awaited<ReturnType<typeof open>>, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
