import { ANOTHER_PERSON, Redactor, likePatterns } from './redaction';

describe('Redactor', () => {
  const redact = new Redactor(
    { emails: ['rita@example.org'], names: ['Rita Reporter'] },
    [
      { name: 'Priya Shah', email: 'priya@council.example' },
      { name: 'Priya', email: null },
      { name: 'Rita Reporter', email: 'other-rita@example.org' },
      { name: 'Al', email: null },
    ],
  );

  it('replaces other people’s names as whole words, longest first, and every address that is not the person’s own', () => {
    expect(redact.text('Priya Shah (priya@council.example) wrote to RITA@example.org and to a.n.other@elsewhere.example.')).toBe(
      `${ANOTHER_PERSON} (${ANOTHER_PERSON}) wrote to RITA@example.org and to ${ANOTHER_PERSON}.`,
    );
    expect(redact.text('Then priya said no; Priyanka did not.')).toBe(`Then ${ANOTHER_PERSON} said no; Priyanka did not.`);
  });

  it('keeps a name the person shares with someone else, and short names that are likely ordinary words', () => {
    expect(redact.text('Rita Reporter met Al at the hall.')).toBe('Rita Reporter met Al at the hall.');
  });

  it('takes the texts out of a payload, leaving codes and ids, and dropping keys asked for', () => {
    expect(redact.texts({ type: 'ACCEPT', caseId: '3f1c2a9e-0000-4000-8000-000000000000', summary: 'Spoke to Priya Shah today', link: 'https://x.example/sign-in/abc def', nested: [{ note: 'Ask priya@council.example again' }] }, (k) => k === 'link')).toEqual({
      summary: `Spoke to ${ANOTHER_PERSON} today`,
      'nested[0].note': `Ask ${ANOTHER_PERSON} again`,
    });
  });

  it('finds a person in free text by address and name, with LIKE’s wildcards escaped', () => {
    expect(likePatterns(['r_t%@example.org'], ['Rita Reporter', 'Al'])).toEqual(['%r\\_t\\%@example.org%', '%Rita Reporter%']);
  });
});
