import type { BreachGrouping } from './breach-stats.dto';

export const BODY_TYPE_LABELS: Record<string, string> = {
  council: 'Council',
  nhs: 'NHS body',
  police: 'Police',
  fire_rescue: 'Fire and rescue service',
  pcc: 'Police and Crime Commissioner',
  lep: 'Local Enterprise Partnership',
  government_department: 'Government department',
  other: 'Other public body',
};

export const OUTCOME_LABELS: Record<string, string> = {
  open: 'Open',
  resolved: 'Resolved',
  unresolved: 'Closed unresolved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  lapsed: 'Lapsed',
  unknown: 'Closed (no outcome recorded)',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Labels that need no lookup; null when the registry must be asked. */
export function staticLabel(by: BreachGrouping, key: string): string | null {
  if (key === 'none') {
    if (by === 'commitment') return 'No commitment recorded';
    if (by === 'code') return 'No section recorded';
  }
  switch (by) {
    case 'bodyType':
      return BODY_TYPE_LABELS[key] ?? key;
    case 'outcome':
      return OUTCOME_LABELS[key] ?? key;
    case 'area':
      return key;
    case 'month': {
      const [year, month] = key.split('-');
      return `${MONTHS[Number(month) - 1] ?? month} ${year}`;
    }
    default:
      return null;
  }
}
