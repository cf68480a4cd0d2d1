import { PassThrough, type Readable } from 'node:stream';
import { writeZip } from '@cc/documents';
import type { PersonalData } from './personal-data';
import { summaryHtml } from './summary-html';

/**
 * The one download a subject access request is answered with: the summary, the data, and each
 * document, opened only when the archive reaches it (so one file is open at a time).
 */
export function subjectAccessZip(data: PersonalData, files: Array<{ name: string; open: () => Promise<Readable> }>): NodeJS.ReadableStream {
  return writeZip([
    { name: 'summary.html', content: Buffer.from(summaryHtml(data), 'utf8') },
    { name: 'data.json', content: Buffer.from(JSON.stringify(data, null, 2), 'utf8') },
    ...files.map((f) => ({
      name: f.name,
      content: () => {
        const out = new PassThrough();
        f.open().then(
          (s) => s.on('error', (e: Error) => out.destroy(e)).pipe(out),
          (e: Error) => out.destroy(e),
        );
        return out;
      },
    })),
  ]);
}
