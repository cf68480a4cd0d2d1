import { MIN_PUBLIC_CASES, suppressSmallGroups } from './anonymise';

describe('suppressSmallGroups', () => {
  it('hides groups under the threshold and counts what is shown', () => {
    const result = suppressSmallGroups([
      { key: 'a', cases: 12 },
      { key: 'b', cases: MIN_PUBLIC_CASES },
      { key: 'c', cases: MIN_PUBLIC_CASES - 1 },
      { key: 'd', cases: 1 },
    ]);
    expect(result.groups.map((g) => g.key)).toEqual(['a', 'b']);
    expect(result.suppressedGroups).toBe(2);
    expect(result.shownCases).toBe(12 + MIN_PUBLIC_CASES);
  });

  it('hides the next smallest groups too when the small ones hold fewer than the threshold, so none can be worked out from the total', () => {
    // Shown with a total of 16, a lone hidden group of 2 would be 16 - 14.
    const result = suppressSmallGroups([
      { key: 'a', cases: 8 },
      { key: 'b', cases: 6 },
      { key: 'c', cases: 2 },
    ]);
    expect(result.groups.map((g) => g.key)).toEqual(['a']);
    expect(result).toMatchObject({ suppressedGroups: 2, shownCases: 8 });
  });

  it('hides nothing more when no group is small', () => {
    expect(suppressSmallGroups([{ cases: 5 }, { cases: 9 }])).toEqual({ groups: [{ cases: 5 }, { cases: 9 }], suppressedGroups: 0, shownCases: 14 });
  });

  it('shows nothing when every group is small', () => {
    expect(suppressSmallGroups([{ cases: 4 }, { cases: 3 }])).toEqual({ groups: [], suppressedGroups: 2, shownCases: 0 });
  });
});
