/** What stands in for someone else's name or e-mail address in a person's own copy of their data. */
export const ANOTHER_PERSON = '[another person]';

// Any e-mail address, for the ones written into free text by people we have no record of.
const EMAIL = /[A-Z0-9._%+'-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;

/** Names shorter than this are too likely to be ordinary words ("Al", "Jo") to be replaced everywhere. */
const SHORTEST_NAME = 3;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Takes other people's personal data out of a person's copy of theirs (UK GDPR Article 15(4): the
 * copy must not adversely affect others). Every e-mail address that is not one of the person's own
 * is replaced, whoever it belongs to; every name we hold for someone else (accounts, public body
 * contacts) is replaced where it stands as whole words. A name the person shares with someone else
 * is theirs too, so it stays.
 *
 * What it cannot know it cannot redact: a first name on its own, or someone we have no record of,
 * is left for the administrator to read over before sending (the request page says so).
 */
export class Redactor {
  private readonly names: RegExp | null;
  private readonly own: Set<string>;

  constructor(subject: { emails: string[]; names: string[] }, others: Array<{ name: string | null; email: string | null }>) {
    this.own = new Set(subject.emails.map((e) => e.toLowerCase()));
    const ownNames = new Set(subject.names.map((n) => n.trim().toLowerCase()));
    const names = new Set<string>();
    for (const o of others) {
      const name = o.name?.trim();
      if (name && name.length >= SHORTEST_NAME && !ownNames.has(name.toLowerCase())) names.add(name);
    }
    // Longest first, so "Priya Shah" goes as a whole before "Priya" (if that is someone too).
    const sorted = [...names].sort((a, b) => b.length - a.length).map(escape);
    this.names = sorted.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${sorted.join('|')})(?![\\p{L}\\p{N}])`, 'giu') : null;
  }

  text(value: string): string;
  text(value: string | null | undefined): string | null;
  text(value: string | null | undefined): string | null {
    if (value === null || value === undefined) return null;
    const noEmails = value.replace(EMAIL, (found) => (this.own.has(found.toLowerCase()) ? found : ANOTHER_PERSON));
    return this.names ? noEmails.replace(this.names, ANOTHER_PERSON) : noEmails;
  }

  /** The texts in a stored payload (an event's, an e-mail's data), by where they are, with others taken out. */
  texts(payload: unknown, leaveOut: (key: string) => boolean = () => false): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (value: unknown, path: string) => {
      if (typeof value === 'string') {
        // Ids, dates and codes are not anything a person wrote or was told.
        if (!/\s/.test(value) && !value.includes('@') && value.length < 40) return;
        out[path] = this.text(value);
      } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`));
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) if (!leaveOut(k)) walk(v, path ? `${path}.${k}` : k);
      }
    };
    walk(payload, '');
    return out;
  }
}

/** The LIKE patterns that find a person in free text: their e-mail addresses and names. */
export function likePatterns(emails: string[], names: string[]): string[] {
  const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return [...new Set([...emails, ...names.filter((n) => n.trim().length >= SHORTEST_NAME)].map((s) => like(s.trim())))];
}
