import { Readable } from 'node:stream';
import { safeEntryName, writeZip } from '@cc/documents';
import { readZip, streamToBuffer } from '../../../../test/support/zip-read';

describe('writeZip', () => {
  it('streams buffers and lazily opened streams into an archive an unzip tool reads back', async () => {
    const opened: string[] = [];
    const big = Buffer.alloc(3 * 1024 * 1024, 'abc');
    const zip = await streamToBuffer(
      writeZip([
        { name: 'case-file.pdf', content: Buffer.from('%PDF-1.7 pretend') },
        {
          name: 'documents/notes.txt',
          content: () => {
            opened.push('notes');
            return Readable.from([Buffer.from('line one\n'), Buffer.from('line two\n')]);
          },
        },
        {
          name: 'documents/big.bin',
          content: () => {
            opened.push('big');
            return Readable.from([big]);
          },
        },
      ]),
    );
    const entries = readZip(zip);
    expect(entries.map((e) => e.name)).toEqual(['case-file.pdf', 'documents/notes.txt', 'documents/big.bin']);
    expect(entries[0].data.toString()).toBe('%PDF-1.7 pretend');
    // A PDF is compressed already: stored as it is. Text is deflated.
    expect(entries[0].method).toBe(0);
    expect(entries[1].method).toBe(8);
    expect(entries[1].data.toString()).toBe('line one\nline two\n');
    expect(entries[2].data.equals(big)).toBe(true);
    expect(zip.length).toBeLessThan(big.length / 10);
    expect(opened).toEqual(['notes', 'big']);
  });

  it('opens each stream only when the archive reaches it (one file open at a time)', async () => {
    const events: string[] = [];
    const entry = (name: string) => ({
      name,
      content: () => {
        events.push(`open ${name}`);
        const stream = Readable.from([Buffer.from(name)]);
        stream.on('end', () => events.push(`end ${name}`));
        return stream;
      },
    });
    await streamToBuffer(writeZip([entry('a.txt'), entry('b.txt'), entry('c.txt')]));
    expect(events).toEqual(['open a.txt', 'end a.txt', 'open b.txt', 'end b.txt', 'open c.txt', 'end c.txt']);
  });

  it('makes unsafe names safe and numbers repeated ones', async () => {
    expect(safeEntryName('../../etc/passwd')).toBe('etc/passwd');
    expect(safeEntryName('/abs\\windows\\path.txt')).toBe('abs/windows/path.txt');
    expect(safeEntryName('what?.pdf')).toBe('what.pdf');
    expect(safeEntryName('..')).toBe('file');
    const zip = await streamToBuffer(
      writeZip([
        { name: 'Letter.pdf', content: Buffer.from('1') },
        { name: 'letter.pdf', content: Buffer.from('2') },
        { name: 'Letter.pdf', content: Buffer.from('3') },
        { name: '../x.txt', content: Buffer.from('4') },
      ]),
    );
    expect(readZip(zip).map((e) => e.name)).toEqual(['Letter.pdf', 'letter (2).pdf', 'Letter (3).pdf', 'x.txt']);
  });

  it('fails the archive stream when an entry fails, rather than ending a truncated archive', async () => {
    const zip = writeZip([
      { name: 'ok.txt', content: Buffer.from('fine') },
      {
        name: 'broken.txt',
        content: () =>
          new Readable({
            read() {
              this.destroy(new Error('disk went away'));
            },
          }),
      },
    ]);
    await expect(streamToBuffer(zip)).rejects.toThrow('disk went away');
  });
});
