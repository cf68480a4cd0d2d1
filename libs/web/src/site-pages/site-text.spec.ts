import { readInlines, readSiteText, siteTextProblems } from './site-text';

describe('the footer pages’ text', () => {
  it('reads paragraphs, headings and bulleted lists', () => {
    expect(readSiteText('## Who we are\n\nWe run the\nservice.\n\n- one\n- two,\n  carried on\n\n## Who we are')).toEqual([
      { kind: 'heading', text: 'Who we are', id: 'who-we-are' },
      { kind: 'paragraph', inlines: [{ text: 'We run the service.' }] },
      { kind: 'list', items: [[{ text: 'one' }], [{ text: 'two, carried on' }]] },
      { kind: 'heading', text: 'Who we are', id: 'who-we-are-2' },
    ]);
  });

  it('links e-mail and web addresses, and [words](address) to allowed places only', () => {
    expect(readInlines('E-mail help@example.org or see https://example.org/a.')).toEqual([
      { text: 'E-mail ' },
      { text: 'help@example.org', href: 'mailto:help@example.org' },
      { text: ' or see ' },
      { text: 'https://example.org/a', href: 'https://example.org/a' },
      { text: '.' },
    ]);
    expect(readInlines('[the ICO](https://ico.org.uk/) and [cookies](/cookies)')).toEqual([
      { text: 'the ICO', href: 'https://ico.org.uk/' },
      { text: ' and ' },
      { text: 'cookies', href: '/cookies' },
    ]);
    // A script address stays as words, and saving it is refused with a reason.
    expect(readInlines('[click](javascript:alert(1))')).toEqual([{ text: 'click' }, { text: ')' }]);
    expect(siteTextProblems('[click](javascript:alert(1)) and [ok](https://example.org)')).toEqual([expect.stringContaining('The link “click” must go to')]);
    expect(siteTextProblems('[site](//evil.example)')).toHaveLength(1);
  });

  it('keeps markup as text: the template escapes it', () => {
    expect(readSiteText('<script>alert(1)</script>')).toEqual([{ kind: 'paragraph', inlines: [{ text: '<script>alert(1)</script>' }] }]);
  });
  it('reads a line "[retention periods]" as the place for the schedule, and only a line of its own', () => {
    expect(readSiteText('## How long we keep it\n\n[Retention periods]\nA case can be kept longer.')).toEqual([
      { kind: 'heading', text: 'How long we keep it', id: 'how-long-we-keep-it' },
      { kind: 'retentionPeriods' },
      { kind: 'paragraph', inlines: [{ text: 'A case can be kept longer.' }] },
    ]);
    expect(readSiteText('See [retention periods] below.')).toEqual([{ kind: 'paragraph', inlines: [{ text: 'See [retention periods] below.' }] }]);
  });
});
