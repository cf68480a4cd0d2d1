import { placeCsvErrors, readCompactCsv } from './compact-csv';
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
