import { csvCell, toCsv } from './csv';

describe('CSV', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('Leicester, Leicestershire')).toBe('"Leicester, Leicestershire"');
    expect(csvCell('the "Compact"')).toBe('"the ""Compact"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('+44 123')).toBe("'+44 123");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
  });

  it('writes numbers and empty cells as they are', () => {
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(2.5)).toBe('2.5');
    expect(csvCell(null)).toBe('');
  });

  it('writes a header row and CRLF line ends', () => {
    expect(toCsv(['key', 'cases'], [['a', 1], ['b', 2]])).toBe('key,cases\r\na,1\r\nb,2\r\n');
  });
});
