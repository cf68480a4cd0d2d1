/**
 * The public figures: groups of fewer than MIN_PUBLIC_CASES cases could point at one voluntary
 * group's complaint, so they are left out. The headline total (every case in the range, once) is
 * published so that it agrees with the groups shown; so that the hidden groups cannot be worked
 * out by taking the groups shown from it, the groups left out must together hold at least
 * MIN_PUBLIC_CASES cases: when the small ones hold fewer, the next smallest groups are left out
 * too (complementary suppression, as official statistics do it).
 */
export const MIN_PUBLIC_CASES = 5;

export interface CountedGroup {
  cases: number;
}

export function suppressSmallGroups<T extends CountedGroup>(groups: readonly T[]): { groups: T[]; suppressedGroups: number; shownCases: number } {
  const hidden = new Set<T>(groups.filter((g) => g.cases < MIN_PUBLIC_CASES));
  let hiddenCases = [...hidden].reduce((sum, g) => sum + g.cases, 0);
  if (hidden.size > 0) {
    const next = groups.filter((g) => !hidden.has(g)).sort((a, b) => a.cases - b.cases);
    for (const g of next) {
      if (hiddenCases >= MIN_PUBLIC_CASES) break;
      hidden.add(g);
      hiddenCases += g.cases;
    }
  }
  const shown = groups.filter((g) => !hidden.has(g));
  return { groups: shown, suppressedGroups: hidden.size, shownCases: shown.reduce((sum, g) => sum + g.cases, 0) };
}
