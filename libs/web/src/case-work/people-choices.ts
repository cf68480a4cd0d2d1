import { Injectable } from '@nestjs/common';
import { StaffChoices } from '@cc/identity';
import { RespondentContacts } from '@cc/registry';
import type { Role } from '@cc/workflows';
import type { PeopleChoices } from './action-forms';

/** Active caseworkers and mediators, for the ASSIGN and APPOINT_MEDIATOR pickers; the public body's active contacts for CONTACT_RESPONDENT. */
@Injectable()
export class PeopleChoicesLookup {
  constructor(
    private readonly staff: StaffChoices,
    private readonly contacts: RespondentContacts,
  ) {}

  async forActions(types: string[], respondentId?: string): Promise<PeopleChoices> {
    const wanted: PeopleChoices = {};
    if (types.includes('ASSIGN')) wanted.caseworkerId = await this.people(['caseworker', 'administrator']);
    if (types.includes('APPOINT_MEDIATOR')) wanted.mediatorId = await this.people(['mediator']);
    if (types.includes('CONTACT_RESPONDENT') && respondentId) {
      const contacts = await this.contacts.listFor(respondentId);
      wanted.contactIds = contacts.filter((c) => c.active).map((c) => ({ value: c.id, text: c.jobTitle ? `${c.name}, ${c.jobTitle}` : c.name }));
      wanted.contactsPage = contactsPageOf(respondentId);
    }
    return wanted;
  }

  /**
   * Each person with the organisations they are tied to (their own and any declared ties), so the
   * one appointing a mediator sees who is partial: "Sam Patel (tied to Harborough District Council)".
   */
  private async people(roles: Role[]) {
    const rows = await this.staff.withRoles(roles);
    return rows.map((r) => {
      const notes = [...(r.role === 'administrator' ? ['administrator'] : []), ...(r.role === 'mediator' && r.ties.length ? [`tied to ${listed(r.ties)}`] : [])];
      return { value: r.id, text: notes.length ? `${r.displayName} (${notes.join('; ')})` : r.displayName };
    });
  }
}

/** Where staff see and add a public body's contacts (the registry's pages). */
export const contactsPageOf = (organisationId: string) => `/public-bodies/${organisationId}/contacts`;

/** "A", "A and B", "A, B and C". */
function listed(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
