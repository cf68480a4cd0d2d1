import { createReadStream } from 'node:fs';
import { readStoredEntry, readZipDirectory, ZipEntry } from './zip-directory';

/** A kind of document we accept, and the media type each file-name extension gives it. */
export interface SniffedType {
  /** For people: "a PDF document". */
  label: string;
  /** Extension (lower case, no dot) -> the media type stored and served. */
  byExtension: Readonly<Record<string, string>>;
}

export type SniffResult = { accepted: true; type: SniffedType } | { accepted: false; detected: string };

/** How many leading bytes the sniffer wants in `head`. */
export const SNIFF_HEAD_BYTES = 8 * 1024;

export const ACCEPTED_TYPES_TEXT =
  'PDF; Word, Excel and PowerPoint (.docx, .xlsx, .pptx, .doc, .xls, .ppt); OpenDocument (.odt, .ods, .odp); RTF; ' +
  'PNG, JPEG, GIF, WebP and TIFF images; plain text (.txt) and CSV (.csv)';

/** The same, as a person would read it in a sentence. */
export const ACCEPTED_KINDS_TEXT = 'a PDF, Word, Excel, PowerPoint, OpenDocument, RTF, image, text or CSV file';

const t = (label: string, byExtension: Record<string, string>): SniffedType => ({ label, byExtension });
export const TYPES = {
  pdf: t('a PDF document', { pdf: 'application/pdf' }),
  png: t('a PNG image', { png: 'image/png' }),
  jpeg: t('a JPEG image', { jpg: 'image/jpeg', jpeg: 'image/jpeg' }),
  gif: t('a GIF image', { gif: 'image/gif' }),
  webp: t('a WebP image', { webp: 'image/webp' }),
  tiff: t('a TIFF image', { tif: 'image/tiff', tiff: 'image/tiff' }),
  rtf: t('an RTF document', { rtf: 'application/rtf' }),
  docx: t('a Word document (.docx)', { docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }),
  xlsx: t('an Excel workbook (.xlsx)', { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  pptx: t('a PowerPoint presentation (.pptx)', { pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' }),
  odt: t('an OpenDocument text (.odt)', { odt: 'application/vnd.oasis.opendocument.text' }),
  ods: t('an OpenDocument spreadsheet (.ods)', { ods: 'application/vnd.oasis.opendocument.spreadsheet' }),
  odp: t('an OpenDocument presentation (.odp)', { odp: 'application/vnd.oasis.opendocument.presentation' }),
  // The OLE container is the same for all three; only the name says which program made it.
  legacyOffice: t('an older Office document (.doc, .xls or .ppt)', {
    doc: 'application/msword',
    xls: 'application/vnd.ms-excel',
    ppt: 'application/vnd.ms-powerpoint',
  }),
  text: t('plain text', { txt: 'text/plain', csv: 'text/csv' }),
} as const;

const ODF_TYPES: Record<string, SniffedType> = {
  'application/vnd.oasis.opendocument.text': TYPES.odt,
  'application/vnd.oasis.opendocument.spreadsheet': TYPES.ods,
  'application/vnd.oasis.opendocument.presentation': TYPES.odp,
};

const accept = (type: SniffedType): SniffResult => ({ accepted: true, type });
const refuse = (detected: string): SniffResult => ({ accepted: false, detected });

const startsWith = (head: Buffer, ...bytes: number[]) => head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
const ascii = (head: Buffer, at: number, text: string) => head.length >= at + text.length && head.toString('latin1', at, at + text.length) === text;

/**
 * What a file really is, judged from its bytes (`head`: its first bytes; `filePath`: the whole
 * file, read where the answer is not at the start: a ZIP's directory, text's every byte). Only
 * document and image types are accepted; programs, scripts, markup, archives and anything not
 * recognised are refused, saying what was seen.
 */
export async function sniffContent(head: Buffer, filePath: string): Promise<SniffResult> {
  if (head.length === 0) return refuse('an empty file');

  if (ascii(head, 0, 'MZ')) return refuse('a Windows program');
  if (startsWith(head, 0x7f, 0x45, 0x4c, 0x46)) return refuse('a Linux program');
  if ([[0xfe, 0xed, 0xfa, 0xce], [0xfe, 0xed, 0xfa, 0xcf], [0xce, 0xfa, 0xed, 0xfe], [0xcf, 0xfa, 0xed, 0xfe]].some((m) => startsWith(head, ...m))) {
    return refuse('a macOS program');
  }
  if (startsWith(head, 0xca, 0xfe, 0xba, 0xbe)) return refuse('a Java class or macOS program');
  if (startsWith(head, 0x00, 0x61, 0x73, 0x6d)) return refuse('a WebAssembly program');
  if (ascii(head, 0, '#!')) return refuse('a script');

  if (ascii(head, 0, '%PDF-')) return accept(TYPES.pdf);
  if (startsWith(head, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return accept(TYPES.png);
  if (startsWith(head, 0xff, 0xd8, 0xff)) return accept(TYPES.jpeg);
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return accept(TYPES.gif);
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return accept(TYPES.webp);
  if (startsWith(head, 0x49, 0x49, 0x2a, 0x00) || startsWith(head, 0x4d, 0x4d, 0x00, 0x2a)) return accept(TYPES.tiff);
  if (ascii(head, 0, '{\\rtf')) return accept(TYPES.rtf);
  if (startsWith(head, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return accept(TYPES.legacyOffice);
  if (ascii(head, 0, 'PK\x03\x04') || ascii(head, 0, 'PK\x05\x06')) return sniffZip(filePath);

  if (startsWith(head, 0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return refuse('a 7-Zip archive');
  if (ascii(head, 0, 'Rar!\x1a\x07')) return refuse('a RAR archive');
  if (startsWith(head, 0x1f, 0x8b)) return refuse('a gzip archive');
  if (ascii(head, 0, 'BZh')) return refuse('a bzip2 archive');
  if (startsWith(head, 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return refuse('an xz archive');
  if (ascii(head, 257, 'ustar')) return refuse('a tar archive');

  return sniffText(head, filePath);
}

/** What a file's name says it is ("a PDF document" for .pdf), or null when the name says nothing we know. */
export function claimedType(fileName: string): string | null {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0 || dot === fileName.length - 1) return null;
  const extension = fileName.slice(dot + 1).toLowerCase();
  const type = Object.values(TYPES).find((k) => extension in k.byExtension);
  if (!type) return null;
  if (type === TYPES.legacyOffice) return { doc: 'a Word document', xls: 'an Excel workbook', ppt: 'a PowerPoint presentation' }[extension] ?? type.label;
  if (type === TYPES.text) return extension === 'csv' ? 'a CSV file' : 'a text file';
  return type.label.replace(/ \(\.\w+\)$/, '');
}

/**
 * Why a file is refused, as a sentence naming it: "invoice.pdf is a Windows program, not a PDF
 * document." Then what to do.
 */
export function refusalSentence(fileName: string, detected: string): string {
  const claimed = claimedType(fileName);
  const what =
    detected === 'an empty file'
      ? `${fileName} is empty: it has nothing in it.`
      : detected === 'a file of an unrecognised type'
        ? `${fileName} is not a kind of file we can take${claimed ? `, although its name says it is ${claimed}` : ''}.`
        : `${fileName} is ${detected}${claimed ? `, not ${claimed}` : ''}.`;
  return `${what} Choose ${ACCEPTED_KINDS_TEXT} instead.`;
}

/** Whether the name's extension is one the sniffed type may carry; the media type it gives, or null. */
export function mediaTypeFor(type: SniffedType, fileName: string): string | null {
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0 || dot === fileName.length - 1) return null;
  return type.byExtension[fileName.slice(dot + 1).toLowerCase()] ?? null;
}

async function sniffZip(filePath: string): Promise<SniffResult> {
  const directory = await readZipDirectory(filePath);
  if (!directory.ok) return refuse(`a ZIP file that could not be read (${directory.problem})`);
  const { entries } = directory;
  const names = entries.map((e) => e.name);

  const odf = await openDocumentType(filePath, entries);
  if (odf) {
    // Basic and script folders hold macros the office suite would run.
    if (names.some((n) => /^(Basic|Scripts)\//i.test(n))) return refuse('an OpenDocument file with macros (programs that would run when it is opened)');
    return accept(odf);
  }

  if (names.includes('[Content_Types].xml')) {
    if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) return refuse('an Office document with macros (programs that would run when it is opened)');
    if (names.some((n) => n.startsWith('word/'))) return accept(TYPES.docx);
    if (names.some((n) => n.startsWith('xl/'))) return accept(TYPES.xlsx);
    if (names.some((n) => n.startsWith('ppt/'))) return accept(TYPES.pptx);
    return refuse('an Office Open XML package that is not a Word, Excel or PowerPoint document');
  }
  return refuse('a ZIP archive');
}

async function openDocumentType(filePath: string, entries: ZipEntry[]): Promise<SniffedType | null> {
  // The format requires `mimetype` to be the first entry, stored uncompressed, at offset 0.
  const first = entries.find((e) => e.localHeaderOffset === 0);
  if (!first || first.name !== 'mimetype') return null;
  const content = await readStoredEntry(filePath, first, 128);
  return content ? (ODF_TYPES[content.toString('latin1').trim()] ?? null) : null;
}

// Markup a browser would render and run; refused even when the name says .txt.
const MARKUP = /<\s*(script|html|svg|iframe|object|embed|body|head|meta)\b|<!doctype\s+html|<\?xml|javascript\s*:/i;
// The usual openings of a JavaScript file; ordinary prose does not start this way.
const JAVASCRIPT = /^(?:['"]use strict['"]|(?:var|let|const)\s+[A-Za-z_$][\w$]*\s*=|function\s*[\w$]*\s*\(|import\s+[\w*{]|export\s+(?:default|const|function|class)\b|\(\s*function\s*\(|(?:module\.exports|exports\.[\w$]+)\s*=|require\s*\()/;

async function sniffText(head: Buffer, filePath: string): Promise<SniffResult> {
  if (!(await isCleanUtf8(filePath))) return refuse('a file of an unrecognised type');
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  if (MARKUP.test(text)) return refuse('HTML, SVG or XML markup');
  const firstLine = text.split(/\r?\n/).find((line) => line.trim() !== '' && !/^\s*(\/\/|\/\*|\*)/.test(line)) ?? '';
  if (JAVASCRIPT.test(firstLine.trim())) return refuse('JavaScript');
  return accept(TYPES.text);
}

/** Valid UTF-8 throughout (ASCII included) and no NUL bytes: what text editors and spreadsheets write. */
async function isCleanUtf8(filePath: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(filePath)) {
      const bytes = chunk as Buffer;
      if (bytes.includes(0)) return false;
      decoder.decode(bytes, { stream: true });
    }
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}
