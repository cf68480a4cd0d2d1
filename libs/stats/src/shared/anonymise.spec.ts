import { MIN_PUBLIC_CASES, suppressSmallGroups } from './anonymise';

describe('suppressSmallGroups', () => {
  it('hides groups under the threshold and totals only what is shown', () => {
    const result = suppressSmallGroups([
      { key: 'a', cases: 12 },
      { key: 'b', cases: MIN_PUBLIC_CASES },
      { key: 'c', cases: MIN_PUBLIC_CASES - 1 },
      { key: 'd', cases: 1 },
    ]);
    expect(result.groups.map((g) => g.key)).toEqual(['a', 'b']);
    expect(result.suppressedGroups).toBe(2);
    expect(result.total).toBe(12 + MIN_PUBLIC_CASES);
  });

  it('shows nothing, and a zero total, when every group is small', () => {
    expect(suppressSmallGroups([{ cases: 4 }, { cases: 3 }])).toEqual({ groups: [], suppressedGroups: 2, total: 0 });
  });
});
