import MailComposer from 'nodemailer/lib/mail-composer';
import { readMessage } from './read-message';
import { REPLY_MAX_LENGTH, messageBody, replyAudience, visibleReply } from './reply-text';

describe('the text of a reply', () => {
  it('keeps the new part: quotes (On … wrote:, "> " lines) and signatures go', () => {
    expect(visibleReply('Yes, Tuesday suits us.\n\n-- \nJane Smith\nRiverside Foodbank\n')).toBe('Yes, Tuesday suits us.');
    expect(visibleReply('Thanks.\n\nSent from my iPhone\n\nOn 1 Dec 2026, at 10:00, Compact Cases <replies+x@example.org> wrote:\n> Old\n')).toBe('Thanks.');
    expect(visibleReply('Line one\n\n\n\nLine two   \n')).toBe('Line one\n\nLine two');
  });

  it('shares a reply as the sender may write: a reporter with their side and staff, the public body with everyone, staff only when asked', () => {
    expect(replyAudience('reporter', 'Share with everyone\nHi')).toEqual({ audience: 'shared', text: 'Share with everyone\nHi' });
    expect(replyAudience('respondent', 'Hi')).toEqual({ audience: 'parties', text: 'Hi' });
    expect(replyAudience('caseworker', 'Hi')).toEqual({ audience: 'internal', text: 'Hi' });
    expect(replyAudience('caseworker', 'Share with everyone.\n\nWe meet on Monday.')).toEqual({ audience: 'parties', text: 'We meet on Monday.' });
    expect(replyAudience('administrator', 'share with the public body only\nJust you.')).toEqual({ audience: 'respondent', text: 'Just you.' });
    expect(replyAudience('caseworker', 'Share with the reporter:\nNews.')).toEqual({ audience: 'shared', text: 'News.' });
    // A mediator cannot write to the parties: the line is taken off and the note stays theirs.
    expect(replyAudience('mediator', 'Share with everyone\nSession notes.')).toEqual({ audience: 'mediator', text: 'Session notes.' });
    expect(replyAudience('mediator', 'Share with the reporter\nSee you then.')).toEqual({ audience: 'shared', text: 'See you then.' });
  });

  it('is never empty and never longer than a note may be, whatever follows it', () => {
    expect(messageBody('', [])).toBe('(The e-mail had no text of its own.)');
    const long = messageBody('x'.repeat(20_000), ['Not added: a.exe']);
    expect(long.length).toBeLessThanOrEqual(REPLY_MAX_LENGTH);
    expect(long).toContain('the whole of it is kept with the case');
    expect(long.endsWith('Not added: a.exe')).toBe(true);
  });
});

describe('reading a received message', () => {
  const build = (options: ConstructorParameters<typeof MailComposer>[0]) => new MailComposer({ from: 'a@example.org', to: 'replies+t@example.org', ...options }).compile().build();

  it('recognises automatic replies by header and by subject, and not an ordinary reply', async () => {
    for (const [subject, headers] of [
      ['Re: your case', { 'Auto-Submitted': 'auto-replied' }],
      ['Re: your case', { 'X-Autoreply': 'yes' }],
      ['Re: your case', { Precedence: 'bulk' }],
      ['Out of Office: Re: your case', {}],
      ['Automatic reply: your case', {}],
      ['Automatische Antwort: Ihr Fall', {}],
      ['Réponse automatique : absent', {}],
    ] as const) {
      expect({ subject, auto: (await readMessage(await build({ subject, headers, text: 'Away' }))).autoReply }).toEqual({ subject, auto: true });
    }
    for (const subject of ['Re: Out of office hours, the council answers too', 'Re: Automatic reply expected?', 'Automatic enrolment letter']) {
      const m = await readMessage(await build({ subject, text: 'A real answer.', headers: { 'Auto-Submitted': 'no' } }));
      expect({ subject, auto: m.autoReply }).toEqual({ subject, auto: false });
    }
  });

  it('collects every address it was sent to, lowercased, and the sender', async () => {
    const m = await readMessage(await build({ from: 'Jane <Jane@Example.ORG>', to: ['Replies+ABC@example.org'], cc: 'other@example.org', headers: { 'Delivered-To': 'replies+def@example.org' }, text: 'Hi' }));
    expect(m.from).toEqual({ address: 'jane@example.org', name: 'Jane' });
    expect(m.headerRecipients).toEqual(['replies+abc@example.org', 'other@example.org', 'replies+def@example.org']);
    expect(m.bounce).toBeNull();
  });
});
