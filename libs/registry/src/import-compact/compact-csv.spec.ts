import { COMPACT_CSV_COLUMNS, compactCsvAllowedValues, compactCsvTemplate, csvDate, placeCsvErrors, readCompactCsv } from './compact-csv';
import { checkCompactDefinition } from './compact-definition';

const HEADER = 'compact_name,scope,area,adopted_on,status,source_url,section_code,section_title,section_kind,reference,text,binds,wording,rule';

describe('readCompactCsv', () => {
  it('reads the Compact from the first row and sections from the rows that name them', () => {
    const read = readCompactCsv(`\uFEFF${HEADER}\nBlaby Compact,local,Blaby,2011-03-01,active,,A,Funding,section,A1,"Pay on time, always",public,official,\n,,,,,,B,Voice,section,B1,Listen,both,summary,\n`);
    expect(read.errors).toEqual([]);
    expect(read.definition).toMatchObject({
      name: 'Blaby Compact',
      area: 'Blaby',
      adoptedOn: '2011-03-01',
      sections: [
        { code: 'A', title: 'Funding', kind: 'section' },
        { code: 'B', title: 'Voice', kind: 'section' },
      ],
      commitments: [
        { reference: 'A1', section: 'A', text: 'Pay on time, always', binds: 'public' },
        { reference: 'B1', section: 'B', text: 'Listen', binds: 'both' },
      ],
    });
    expect(read.commitmentLines).toEqual([2, 3]);
    expect(checkCompactDefinition(read.definition).errors).toEqual([]);
  });

  it('puts shape errors on the line they came from', () => {
    const read = readCompactCsv(`${HEADER}\nX,local,Blaby,,,,A,Funding,,A1,Fine,public,official,\n,,,,,,A,,,A2,Bad,someone,official,\n`);
    const { errors } = checkCompactDefinition(read.definition);
    expect(placeCsvErrors(errors, read)).toEqual([{ field: 'binds', reason: 'must be public, voluntary or both', row: 3 }]);
  });

  it('refuses a file that is not CSV, an empty one and one with unknown columns', () => {
    expect(readCompactCsv('a,b\n"unclosed\n').errors[0]).toMatchObject({ field: 'file', reason: expect.stringContaining('is not readable CSV') });
    expect(readCompactCsv(`${HEADER}\n`).errors).toEqual([{ field: 'file', reason: 'has a header but no commitment rows' }]);
    expect(readCompactCsv(`${HEADER},colour\nX,local,A,,,,A,T,,A1,t,public,official,,red\n`).errors[0].reason).toContain('unknown column(s) colour');
  });

  it('refuses a second title for the same section', () => {
    const read = readCompactCsv(`${HEADER}\nX,local,Blaby,,,,A,Funding,,A1,t,public,official,\n,,,,,,A,Money,,A2,t,public,official,\n`);
    expect(read.errors).toEqual([{ field: 'section_title', reason: 'gives section A a different title from row 2', row: 3 }]);
  });
});

describe('CSV problems name the column as the file writes it', () => {
  it('says "Section_Kind" when the header says so, on the row it came from', () => {
    const header = HEADER.replace('section_kind', 'Section_Kind').replace('binds', 'Binds');
    const read = readCompactCsv(`${header}\nX,local,Blaby,,,,A,Funding,section,A1,t,public,official,\n,,,,,,B,Voice,chapter,B1,t,everyone,official,\n`);
    const { errors } = checkCompactDefinition(read.definition);
    expect(placeCsvErrors(errors, read)).toEqual(
      expect.arrayContaining([
        { field: 'Section_Kind', reason: expect.stringContaining('must be outcome, code_of_practice, undertakings or section'), row: 3 },
        { field: 'Binds', reason: 'must be public, voluntary or both', row: 3 },
      ]),
    );
  });

  it('names the Compact’s own columns, not the fields they fill', () => {
    const read = readCompactCsv(`${HEADER}\nX,local,,2011-02-30,current,not-a-url,A,Funding,,A1,t,public,official,\n`);
    const placed = placeCsvErrors(checkCompactDefinition(read.definition).errors, read);
    expect(placed.map((e) => [e.row, e.field])).toEqual(expect.arrayContaining([[2, 'adopted_on'], [2, 'status'], [2, 'source_url'], [2, 'area']]));
    expect(placed.some((e) => /adoptedOn|sourceUrl|commitments\./.test(e.field))).toBe(false);
  });

  it('reads the values people type in a spreadsheet: labels, capitals and UK dates', () => {
    const read = readCompactCsv(`${HEADER}\nX,Local,Blaby,31/03/2011,Under review,,A,Funding,Code of practice,A1,t,PUBLIC,Official,\n`);
    expect(read.definition).toMatchObject({ scope: 'local', adoptedOn: '2011-03-31', status: 'under_review', sections: [{ kind: 'code_of_practice' }], commitments: [{ binds: 'public', wording: 'official' }] });
    expect(csvDate('1 December 2026')).toBe('2026-12-01');
    expect(csvDate('yesterday')).toBe('yesterday');
  });

  it('says what is wrong with unreadable CSV in words, not the parser’s', () => {
    const [error] = readCompactCsv(`${HEADER}\nX,local,Blaby,,,,A,"Funding,,A1,t,public,official,\n`).errors;
    expect(error.reason).toMatch(/a quote mark opens a cell/);
    expect(error.reason).not.toMatch(/Quote Not Closed|parsing/);
  });
});

describe('the CSV template', () => {
  it('has every column and imports as it is', () => {
    const template = compactCsvTemplate();
    expect(template.split('\r\n')[0]).toBe(COMPACT_CSV_COLUMNS.join(','));
    const read = readCompactCsv(template);
    expect(read.errors).toEqual([]);
    expect(checkCompactDefinition(read.definition).errors).toEqual([]);
  });

  it('lists the allowed values of every column', () => {
    const guide = compactCsvAllowedValues();
    for (const column of COMPACT_CSV_COLUMNS) expect(guide).toContain(`\r\n${column},`);
    expect(guide).toContain('outcome, code_of_practice, undertakings or section');
    expect(guide).toContain('consultationOpenedOn');
  });
});
