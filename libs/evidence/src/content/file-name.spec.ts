import { attachmentDisposition, sanitiseFileName } from './file-name';

describe('sanitiseFileName', () => {
  it.each([
    ['letter.pdf', 'letter.pdf'],
    ['C:\\Users\\me\\Desktop\\letter.pdf', 'letter.pdf'],
    ['../../etc/passwd.txt', 'passwd.txt'],
    ['  .hidden.txt  ', 'hidden.txt'],
    ['bad\u0000name\u202e.txt', 'badname.txt'],
    ['what? "this" <is>.pdf', 'what_ _this_ _is_.pdf'],
    ['Résumé – final.docx', 'Résumé – final.docx'],
    [undefined, ''],
  ])('%s -> %s', (input, expected) => {
    expect(sanitiseFileName(input)).toBe(expected);
  });

  it('shortens long names but keeps the extension', () => {
    const name = sanitiseFileName(`${'a'.repeat(300)}.pdf`);
    expect(name).toHaveLength(200);
    expect(name.endsWith('.pdf')).toBe(true);
  });
});

describe('attachmentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(attachmentDisposition('Résumé (v2).pdf')).toBe(`attachment; filename="R_sum_ (v2).pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%28v2%29.pdf`);
  });

  it('cannot be broken out of with quotes or backslashes', () => {
    expect(attachmentDisposition('a"b\\c.txt')).toBe(`attachment; filename="a_b_c.txt"; filename*=UTF-8''a%22b%5Cc.txt`);
  });
});
