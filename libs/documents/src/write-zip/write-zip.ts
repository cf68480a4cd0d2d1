import { PassThrough } from 'node:stream';
import { ZipFile } from 'yazl';

export interface ZipEntry {
  /** The name in the archive; folders with "/". Unsafe parts ("..", a leading "/", "\") are made safe and repeats numbered. */
  name: string;
  /** A buffer, or a function opening a stream: called only when the archive reaches the entry, so one file is open at a time. */
  content: Buffer | (() => NodeJS.ReadableStream);
}

/** Formats that are compressed already: storing them as they are saves the time deflate would spend gaining nothing. */
const STORED = /\.(pdf|jpe?g|png|gif|webp|zip|docx|xlsx|pptx|odt|ods|gz|mp3|mp4|heic)$/i;

/**
 * Streams a ZIP archive of the entries (yazl): nothing is held in memory beyond the entry being
 * written, so an archive of every document on a large case costs the same memory as a small one.
 * An entry's stream failing ends the archive's stream with that error, never a truncated file
 * that looks complete.
 */
export function writeZip(entries: ZipEntry[]): NodeJS.ReadableStream {
  const zip = new ZipFile();
  const out = new PassThrough();
  const used = new Set<string>();
  zip.on('error', (error: Error) => out.destroy(error));
  zip.outputStream.on('error', (error: Error) => out.destroy(error));
  zip.outputStream.pipe(out);
  try {
    for (const entry of entries) {
      const name = uniqueName(safeEntryName(entry.name), used);
      const options = { compress: !STORED.test(name), mtime: new Date() };
      const content = entry.content;
      if (Buffer.isBuffer(content)) {
        zip.addBuffer(content, name, options);
      } else {
        zip.addReadStreamLazy(name, options, (done) => {
          try {
            const stream = content();
            stream.on('error', (error: Error) => out.destroy(error));
            done(null, stream);
          } catch (error) {
            done(error, undefined as unknown as NodeJS.ReadableStream);
          }
        });
      }
    }
    zip.end();
  } catch (error) {
    process.nextTick(() => out.destroy(error as Error));
  }
  return out;
}

/** An archive entry's name that cannot climb out of the folder it is unpacked into. */
export function safeEntryName(name: string): string {
  const parts = String(name ?? '')
    .replace(/\\/g, '/')
    .split('/')
    .map((part) =>
      part
        .replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '')
        .trim()
        .replace(/^\.+$/, ''),
    )
    .filter((part) => part.length > 0);
  return parts.join('/') || 'file';
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  const dot = name.lastIndexOf('.');
  const slash = name.lastIndexOf('/');
  const [stem, extension] = dot > slash + 1 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; used.has(candidate.toLowerCase()); n += 1) candidate = `${stem} (${n})${extension}`;
  used.add(candidate.toLowerCase());
  return candidate;
}
