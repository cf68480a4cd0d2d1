import type { Role } from '@cc/workflows';

/** The authenticated person behind a request, as every service sees them. */
export interface Caller {
  userId: string;
  role: Role;
  organisationId: string | null;
}
