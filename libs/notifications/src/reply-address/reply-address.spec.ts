import { randomUUID } from 'node:crypto';
import { mintReplyAddress, readReplyAddress, replyAddressKey } from './reply-address';

const key = replyAddressKey('a-signing-secret-of-at-least-32-characters!');
const otherKey = replyAddressKey('another-installation-secret-of-32-characters');
const replyTo = 'replies@compact-cases.example';

describe('reply addresses', () => {
  it('round trip: the address minted for a notification reads back as that notification', () => {
    const id = randomUUID();
    const address = mintReplyAddress(id, key, replyTo);
    expect(address).toMatch(/^replies\+[a-z2-7]{42}@compact-cases\.example$/);
    expect(address.split('@')[0].length).toBeLessThanOrEqual(64);
    expect(readReplyAddress(address, key, replyTo)).toEqual({ ok: true, notificationId: id });
    expect(readReplyAddress(`<${address}>`, key, replyTo)).toEqual({ ok: true, notificationId: id });
  });

  it('gives each notification its own address, the same one every time', () => {
    const a = randomUUID();
    const b = randomUUID();
    expect(mintReplyAddress(a, key, replyTo)).toBe(mintReplyAddress(a, key, replyTo));
    expect(mintReplyAddress(a, key, replyTo)).not.toBe(mintReplyAddress(b, key, replyTo));
  });

  it('reads an address a mail system lowercased or uppercased', () => {
    const id = randomUUID();
    const address = mintReplyAddress(id, key, replyTo);
    expect(readReplyAddress(address.toUpperCase(), key, replyTo)).toEqual({ ok: true, notificationId: id });
    const mixed = address.replace(/[a-z]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c));
    expect(readReplyAddress(mixed, key, replyTo)).toEqual({ ok: true, notificationId: id });
    expect(readReplyAddress(address, key, 'Replies@Compact-Cases.EXAMPLE')).toEqual({ ok: true, notificationId: id });
  });

  it('calls a token made with another key forged', () => {
    const address = mintReplyAddress(randomUUID(), otherKey, replyTo);
    expect(readReplyAddress(address, key, replyTo)).toEqual({ ok: false, problem: 'forged' });
  });

  it('calls a made-up token forged', () => {
    expect(readReplyAddress(`replies+${'a'.repeat(42)}@compact-cases.example`, key, replyTo)).toEqual({ ok: false, problem: 'forged' });
    expect(readReplyAddress('replies+hello@compact-cases.example', key, replyTo)).toEqual({ ok: false, problem: 'forged' });
    expect(readReplyAddress(`replies+${'1'.repeat(42)}@compact-cases.example`, key, replyTo)).toEqual({ ok: false, problem: 'forged' });
  });

  it('calls a tampered token forged: every character changed, one at a time, and a token cut short or made longer', () => {
    const id = randomUUID();
    const address = mintReplyAddress(id, key, replyTo);
    const [local, domain] = address.split('@');
    const token = local.slice('replies+'.length);
    for (let i = 0; i < token.length; i++) {
      const changed = token.slice(0, i) + (token[i] === 'a' ? 'b' : 'a') + token.slice(i + 1);
      expect(readReplyAddress(`replies+${changed}@${domain}`, key, replyTo)).toEqual({ ok: false, problem: 'forged' });
    }
    expect(readReplyAddress(`replies+${token.slice(0, -1)}@${domain}`, key, replyTo)).toEqual({ ok: false, problem: 'forged' });
    expect(readReplyAddress(`replies+${token}a@${domain}`, key, replyTo)).toEqual({ ok: false, problem: 'forged' });
    // Another notification's id with this one's MAC.
    const other = mintReplyAddress(randomUUID(), key, replyTo).split('@')[0].slice('replies+'.length);
    expect(readReplyAddress(`replies+${other.slice(0, 25)}${token.slice(25)}@${domain}`, key, replyTo)).toEqual({ ok: false, problem: 'forged' });
  });

  it('says an address at another domain, with another local part or without a token is not a reply address', () => {
    const address = mintReplyAddress(randomUUID(), key, replyTo);
    const token = address.split('@')[0];
    expect(readReplyAddress(`${token}@elsewhere.example`, key, replyTo)).toEqual({ ok: false, problem: 'not-a-reply-address' });
    expect(readReplyAddress(`${token}@sub.compact-cases.example`, key, replyTo)).toEqual({ ok: false, problem: 'not-a-reply-address' });
    expect(readReplyAddress(address.replace('replies+', 'answers+'), key, replyTo)).toEqual({ ok: false, problem: 'not-a-reply-address' });
    expect(readReplyAddress('replies@compact-cases.example', key, replyTo)).toEqual({ ok: false, problem: 'not-a-reply-address' });
    expect(readReplyAddress('replies+@compact-cases.example', key, replyTo)).toEqual({ ok: false, problem: 'not-a-reply-address' });
    expect(readReplyAddress('someone@compact-cases.example', key, replyTo)).toEqual({ ok: false, problem: 'not-a-reply-address' });
    expect(readReplyAddress('not an address', key, replyTo)).toEqual({ ok: false, problem: 'not-a-reply-address' });
    expect(readReplyAddress('', key, replyTo)).toEqual({ ok: false, problem: 'not-a-reply-address' });
  });

  it('keeps the base address local part and domain of REPLY_TO_ADDRESS', () => {
    const address = mintReplyAddress(randomUUID(), key, 'Case-Replies@Mail.Example.ORG');
    expect(address).toMatch(/^case-replies\+[a-z2-7]{42}@mail\.example\.org$/);
  });

  it('refuses to mint for something that is not a notification id', () => {
    expect(() => mintReplyAddress('42', key, replyTo)).toThrow();
  });
});
