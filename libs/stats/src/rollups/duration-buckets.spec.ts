import { BUCKET_GROWTH, bucketMiddle, bucketOf, medianFromHistogram } from './duration-buckets';

const DAY = 86_400;
const histogramOf = (values: number[]) => {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(bucketOf(v), (counts.get(bucketOf(v)) ?? 0) + 1);
  return [...counts].map(([bucket, n]) => ({ bucket, n }));
};

describe('duration buckets', () => {
  it('puts each duration in a bucket whose middle is within 2.5% of it', () => {
    for (const seconds of [1, 59, 3_600, 2.5 * DAY, 40 * DAY, 3 * 365 * DAY]) {
      const middle = bucketMiddle(bucketOf(seconds));
      expect(Math.abs(middle - seconds) / seconds).toBeLessThanOrEqual(Math.sqrt(BUCKET_GROWTH) - 1 + 1e-9);
    }
  });

  it('counts anything under a second as a second', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-5)).toBe(0);
  });

  it('gives the median of an odd count as the middle value', () => {
    const median = medianFromHistogram(histogramOf([1 * DAY, 2 * DAY, 10 * DAY]))!;
    expect(median / DAY).toBeCloseTo(2, 0);
    expect(Math.abs(median - 2 * DAY) / (2 * DAY)).toBeLessThan(0.03);
  });

  it('averages the two middle values of an even count', () => {
    const median = medianFromHistogram(histogramOf([1 * DAY, 3 * DAY, 5 * DAY, 100 * DAY]))!;
    expect(Math.abs(median - 4 * DAY) / (4 * DAY)).toBeLessThan(0.03);
  });

  it('is null for an empty histogram, and ignores empty buckets', () => {
    expect(medianFromHistogram([])).toBeNull();
    expect(medianFromHistogram([{ bucket: 10, n: 0 }])).toBeNull();
    expect(medianFromHistogram([{ bucket: 10, n: 0 }, { bucket: 20, n: 1 }])).toBeCloseTo(bucketMiddle(20));
  });
});
