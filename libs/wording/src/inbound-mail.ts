/**
 * Why a received e-mail was not put on a case but waits in "Mail to sort", in words for the
 * caseworker who sorts it (the codes are inbound_mail.why_to_sort). Each completes "This e-mail …".
 */
export const WHY_TO_SORT = {
  'no-reply-address': 'was not sent to a reply address of one of our e-mails, so we cannot tell which case it is about',
  forged: 'was sent to a reply address we did not make (it may have been made up or altered), so it may not be genuine',
  'unknown-email': 'was sent to the reply address of an e-mail we no longer have',
  expired: 'answers an e-mail we sent too long ago, so it was not put on the case without a check',
  'case-closed': 'answers an e-mail about a case that is now closed',
  'wrong-sender': 'came from an address other than the one our e-mail went to, so it may not be from that person',
  'no-account': 'answers an e-mail sent to someone who has no account with us (or whose account is closed)',
  'not-on-case': 'came from someone who can no longer see the case it is about',
  unreadable: 'could not be read (it may be damaged)',
  'could-not-process': 'could not be put on the case after several tries',
} as const;

export type WhyToSort = keyof typeof WHY_TO_SORT;

/** The sentence for a reason code; an unknown code (a newer version's) still reads as a sentence. */
export function whyToSortText(code: string | null | undefined): string {
  const words = code ? (WHY_TO_SORT as Record<string, string>)[code] : undefined;
  return `This e-mail ${words ?? 'could not be matched to a case'}.`;
}

/** What happened to a received e-mail, for the staff who look it up. */
export const INBOUND_STATUS_WORDS: Record<string, string> = {
  received: 'Waiting to be read',
  filed: 'Put on a case',
  to_sort: 'Waiting to be sorted',
  auto_reply: 'Automatic reply (not put on a case)',
  bounce: 'Delivery failure report',
  discarded: 'Discarded',
};

/** Who an e-mail's sender is to the service, for the person sorting it. */
export const SENDER_ROLE_WORDS: Record<string, string> = {
  reporter: 'someone at a reporting organisation',
  caseworker: 'a caseworker',
  mediator: 'a mediator',
  administrator: 'an administrator',
  respondent: 'a contact at a public body',
};
