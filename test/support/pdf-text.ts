import { spawn } from 'node:child_process';

export interface PdfText {
  /** All pages' text, pages separated by a blank line. */
  text: string;
  pages: string[];
  total: number;
  title: string | undefined;
}

/**
 * Reads a PDF's text back as a reader (or a screen reader) gets it, with pdf-parse (pdf.js).
 * pdf.js loads its worker with a dynamic import, which jest's module system refuses, so the reading
 * runs in a plain Node process beside the test: the PDF goes in on stdin, JSON comes out.
 */
export function readPdfText(pdf: Buffer): Promise<PdfText> {
  const script = `
    const { PDFParse } = require('pdf-parse');
    const chunks = [];
    process.stdin.on('data', (c) => chunks.push(c));
    process.stdin.on('end', async () => {
      const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
      try {
        const text = await parser.getText({ pageJoiner: '' });
        const info = await parser.getInfo();
        process.stdout.write(JSON.stringify({
          text: text.pages.map((p) => p.text).join('\\n\\n'),
          pages: text.pages.map((p) => p.text),
          total: text.total,
          title: info.info && info.info.Title,
        }));
      } catch (error) {
        process.stderr.write(String(error && error.stack || error));
        process.exitCode = 1;
      } finally {
        await parser.destroy();
      }
    });`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`pdf-parse failed (${code}): ${Buffer.concat(err).toString()}`));
      try {
        resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as PdfText);
      } catch (error) {
        reject(error as Error);
      }
    });
    child.stdin.end(pdf);
  });
}
