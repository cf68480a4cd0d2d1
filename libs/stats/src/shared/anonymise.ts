/**
 * The public figures: groups of fewer than MIN_PUBLIC_CASES cases could point at one voluntary
 * group's complaint, so they are left out, and the total is that of the groups shown, so the
 * hidden counts cannot be worked out by subtraction.
 */
export const MIN_PUBLIC_CASES = 5;

export interface CountedGroup {
  cases: number;
}

export function suppressSmallGroups<T extends CountedGroup>(groups: readonly T[]): { groups: T[]; suppressedGroups: number; total: number } {
  const shown = groups.filter((g) => g.cases >= MIN_PUBLIC_CASES);
  return { groups: shown, suppressedGroups: groups.length - shown.length, total: shown.reduce((sum, g) => sum + g.cases, 0) };
}
