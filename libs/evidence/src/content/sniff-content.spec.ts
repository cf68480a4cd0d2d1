import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, docm, docx, odf, ooxml, pptx, storedZip, xlsx } from '../../../../test/support/zip-fixture';
import { SNIFF_HEAD_BYTES, SniffResult, TYPES, claimedType, mediaTypeFor, refusalSentence, sniffContent } from './sniff-content';

describe('sniffContent', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'sniff-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function sniff(bytes: Buffer): Promise<SniffResult> {
    const path = join(dir, `f${n++}`);
    writeFileSync(path, bytes);
    return sniffContent(bytes.subarray(0, SNIFF_HEAD_BYTES), path);
  }
  const accepted = async (bytes: Buffer) => {
    const result = await sniff(bytes);
    if (!result.accepted) throw new Error(`refused as ${result.detected}`);
    return result.type;
  };
  const refused = async (bytes: Buffer) => {
    const result = await sniff(bytes);
    if (result.accepted) throw new Error(`accepted as ${result.type.label}`);
    return result.detected;
  };

  it.each([
    ['PDF', FIXTURES.pdf(), TYPES.pdf],
    ['PNG', FIXTURES.png(), TYPES.png],
    ['JPEG', FIXTURES.jpeg(), TYPES.jpeg],
    ['GIF', FIXTURES.gif(), TYPES.gif],
    ['WebP', FIXTURES.webp(), TYPES.webp],
    ['TIFF (little-endian)', FIXTURES.tiffLE(), TYPES.tiff],
    ['TIFF (big-endian)', FIXTURES.tiffBE(), TYPES.tiff],
    ['RTF', FIXTURES.rtf(), TYPES.rtf],
    ['legacy Office (OLE)', FIXTURES.ole(), TYPES.legacyOffice],
    ['DOCX', docx(), TYPES.docx],
    ['XLSX', xlsx(), TYPES.xlsx],
    ['PPTX', pptx(), TYPES.pptx],
    ['ODT', odf('application/vnd.oasis.opendocument.text'), TYPES.odt],
    ['ODS', odf('application/vnd.oasis.opendocument.spreadsheet'), TYPES.ods],
    ['ODP', odf('application/vnd.oasis.opendocument.presentation'), TYPES.odp],
    ['UTF-8 text', FIXTURES.text(), TYPES.text],
    ['CSV', FIXTURES.csv(), TYPES.text],
    ['text with a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), FIXTURES.text()]), TYPES.text],
  ])('accepts %s', async (_name, bytes, type) => {
    expect(await accepted(bytes)).toBe(type);
  });

  it.each([
    ['a Windows program', FIXTURES.exe(), /Windows program/],
    ['an ELF program', FIXTURES.elf(), /Linux program/],
    ['a Mach-O program', FIXTURES.machO(), /macOS program/],
    ['a Java class', FIXTURES.javaClass(), /Java class/],
    ['a shell script', FIXTURES.shell(), /script/],
    ['HTML', FIXTURES.html(), /HTML/],
    ['SVG with a script', FIXTURES.svg(), /SVG/],
    ['XML', Buffer.from('<?xml version="1.0"?><note>hi</note>'), /XML/],
    ['HTML hidden after some text', Buffer.from('Dear Sir,\n\n<script>alert(1)</script>'), /HTML/],
    ['JavaScript', FIXTURES.javascript(), /JavaScript/],
    ['JavaScript after a comment', Buffer.from('// helper\n"use strict";\nrun();\n'), /JavaScript/],
    ['a plain ZIP', FIXTURES.zip(), /ZIP archive/],
    ['a macro-enabled Word document', docm(), /macros/],
    ['a macro-enabled workbook with vbaProject.bin in xl/', ooxml(['xl/workbook.xml', 'xl/vbaProject.bin']), /macros/],
    ['an OpenDocument file with Basic macros', odf('application/vnd.oasis.opendocument.text', ['Basic/Standard/Module1.xml']), /macros/],
    ['an OOXML package of no known kind', ooxml(['visio/document.xml']), /not a Word, Excel or PowerPoint/],
    ['a 7-Zip archive', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), /7-Zip/],
    ['a RAR archive', Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), /RAR/],
    ['a gzip archive', Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]), /gzip/],
    ['a tar archive', Buffer.concat([Buffer.alloc(257), Buffer.from('ustar\x0000'), Buffer.alloc(247)]), /tar/],
    ['WebAssembly', Buffer.from([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), /WebAssembly/],
    ['an empty file', Buffer.alloc(0), /empty/],
    ['binary noise', Buffer.from([0x13, 0x37, 0x00, 0xff, 0xfe, 0x42]), /unrecognised/],
    ['invalid UTF-8', Buffer.from([0x48, 0x69, 0xc3, 0x28]), /unrecognised/],
    ['UTF-16 text (NUL bytes)', Buffer.from('hello', 'utf16le'), /unrecognised/],
  ])('refuses %s', async (_name, bytes, detected) => {
    expect(await refused(bytes)).toMatch(detected);
  });

  it('checks the whole file for text, not just the head', async () => {
    const bytes = Buffer.concat([Buffer.alloc(SNIFF_HEAD_BYTES * 3, 'a'), Buffer.from([0x00, 0x01])]);
    expect(await refused(bytes)).toMatch(/unrecognised/);
  });

  it('is not fooled by an ODF-looking mimetype that is not the first entry', async () => {
    const zip = storedZip([
      { name: 'readme.txt', data: 'x' },
      { name: 'mimetype', data: 'application/vnd.oasis.opendocument.text' },
    ]);
    expect(await refused(zip)).toMatch(/ZIP archive/);
  });

  it('refuses an ODF package naming an unknown OpenDocument type', async () => {
    expect(await refused(odf('application/vnd.oasis.opendocument.graphics-template'))).toMatch(/ZIP archive/);
  });

  it('reads a ZIP with a trailing comment', async () => {
    const zip = storedZip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: '<w/>' }], 'made by a test');
    expect(await accepted(zip)).toBe(TYPES.docx);
  });

  describe('malformed ZIPs are refused, never thrown on', () => {
    it.each([
      ['truncated before the directory end', (z: Buffer) => z.subarray(0, z.length - 10)],
      ['cut in half', (z: Buffer) => z.subarray(0, Math.floor(z.length / 2))],
      ['only the signature', () => Buffer.from('PK\x03\x04', 'latin1')],
      [
        'a directory offset past the end',
        (z: Buffer) => {
          const copy = Buffer.from(z);
          copy.writeUInt32LE(0x7fffffff, copy.length - 6);
          return copy;
        },
      ],
      [
        'an entry count larger than the directory',
        (z: Buffer) => {
          const copy = Buffer.from(z);
          copy.writeUInt16LE(500, copy.length - 12);
          copy.writeUInt16LE(500, copy.length - 14);
          return copy;
        },
      ],
      [
        'a name length running off the directory',
        (z: Buffer) => {
          const copy = Buffer.from(z);
          const directoryOffset = copy.readUInt32LE(copy.length - 6);
          copy.writeUInt16LE(0xffff, directoryOffset + 28);
          return copy;
        },
      ],
      [
        'ZIP64 markers',
        (z: Buffer) => {
          const copy = Buffer.from(z);
          copy.writeUInt16LE(0xffff, copy.length - 12);
          copy.writeUInt16LE(0xffff, copy.length - 14);
          return copy;
        },
      ],
    ])('%s', async (_name, damage) => {
      expect(await refused(damage(docx()))).toMatch(/ZIP file that could not be read/);
    });
  });
});

describe('mediaTypeFor (does the name agree with the content?)', () => {
  it.each([
    [TYPES.pdf, 'report.pdf', 'application/pdf'],
    [TYPES.pdf, 'REPORT.PDF', 'application/pdf'],
    [TYPES.jpeg, 'photo.jpeg', 'image/jpeg'],
    [TYPES.jpeg, 'photo.JPG', 'image/jpeg'],
    [TYPES.legacyOffice, 'minutes.doc', 'application/msword'],
    [TYPES.legacyOffice, 'budget.xls', 'application/vnd.ms-excel'],
    [TYPES.legacyOffice, 'slides.ppt', 'application/vnd.ms-powerpoint'],
    [TYPES.text, 'notes.txt', 'text/plain'],
    [TYPES.text, 'figures.csv', 'text/csv'],
    [TYPES.docx, 'letter.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ])('%#: %s', (type, name, mediaType) => {
    expect(mediaTypeFor(type, name)).toBe(mediaType);
  });

  it.each([
    [TYPES.png, 'report.pdf'],
    [TYPES.pdf, 'report.pdf.exe'],
    [TYPES.docx, 'letter.xlsx'],
    [TYPES.docx, 'letter.doc'],
    [TYPES.legacyOffice, 'minutes.docx'],
    [TYPES.text, 'script.js'],
    [TYPES.text, 'page.html'],
    [TYPES.pdf, 'report'],
    [TYPES.pdf, '.pdf'],
    [TYPES.pdf, 'report.'],
  ])('%#: refuses %s named %s', (type, name) => {
    expect(mediaTypeFor(type, name)).toBeNull();
  });

  describe('refusals read as sentences naming the file', () => {
    it.each([
      ['invoice.pdf', 'a Windows program', /^invoice\.pdf is a Windows program, not a PDF document\. Choose a PDF, Word/],
      ['minutes.docx', 'an Office document with macros (programs that would run when it is opened)', /^minutes\.docx is an Office document with macros .*, not a Word document\./],
      ['notes.txt', 'an empty file', /^notes\.txt is empty: it has nothing in it\./],
      ['setup.exe', 'a Windows program', /^setup\.exe is a Windows program\. Choose/],
      ['scan.pdf', 'a file of an unrecognised type', /^scan\.pdf is not a kind of file we can take, although its name says it is a PDF document\./],
    ])('%s as %s', (name, detected, sentence) => {
      expect(refusalSentence(name, detected)).toMatch(sentence);
    });

    it.each([
      ['a.pdf', 'a PDF document'],
      ['a.XLS', 'an Excel workbook'],
      ['a.csv', 'a CSV file'],
      ['a.docx', 'a Word document'],
      ['a.exe', null],
      ['noextension', null],
    ])('the name %s says it is %s', (name, claimed) => {
      expect(claimedType(name)).toBe(claimed);
    });
  });
});
