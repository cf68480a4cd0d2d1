import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import type { PersonalData } from './personal-data';
import { summaryHtml } from './summary-html';

/**
 * The one download a subject access request is answered with. Written with yazl directly: the
 * shared writeZip (@cc/documents) had not landed when this was built; switch to it when it has.
 */
export function subjectAccessZip(data: PersonalData, files: Array<{ name: string; stream: Readable }>): Readable {
  const zip = new ZipFile();
  const mtime = new Date(data.gatheredAt);
  zip.addBuffer(Buffer.from(summaryHtml(data), 'utf8'), 'summary.html', { mtime });
  zip.addBuffer(Buffer.from(JSON.stringify(data, null, 2), 'utf8'), 'data.json', { mtime });
  for (const f of files) zip.addReadStream(f.stream, f.name, { mtime });
  zip.end();
  return zip.outputStream as unknown as Readable;
}
