/** Who is reading, as the words need it: administrators read what caseworkers read. */
export type Reader = 'reporter' | 'staff' | 'mediator' | 'respondent';

export type RecipientRole = 'reporter' | 'caseworker' | 'mediator' | 'administrator' | 'respondent';

const READERS: Readonly<Record<RecipientRole, Reader>> = {
  reporter: 'reporter',
  caseworker: 'staff',
  administrator: 'staff',
  mediator: 'mediator',
  respondent: 'respondent',
};

/** The reader a role reads as; an unknown role reads the reporter's words, which say the least. */
export const readerOf = (role: string): Reader => (Object.prototype.hasOwnProperty.call(READERS, role) ? READERS[role as RecipientRole] : 'reporter');
