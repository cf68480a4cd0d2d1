/**
 * Durations are stored as counts per log-scale bucket: bucket b holds [GROWTH^b, GROWTH^(b+1))
 * seconds. Reporting a bucket by its geometric middle is at most half a bucket (about 2.5%) off,
 * whatever the scale, from minutes in triage to years to closure.
 */
export const BUCKET_GROWTH = 1.05;

/** The bucket of a duration in seconds (anything under a second counts as one second). */
export function bucketOf(seconds: number): number {
  return Math.floor(Math.log(Math.max(seconds, 1)) / Math.log(BUCKET_GROWTH));
}

/** The value a bucket stands for, in seconds: its geometric middle. */
export function bucketMiddle(bucket: number): number {
  return Math.pow(BUCKET_GROWTH, bucket + 0.5);
}

export interface BucketCount {
  bucket: number;
  n: number;
}

/**
 * The median of a histogram, in seconds, or null when it is empty. With an even count it is the
 * mean of the two middle values, as percentile_cont(0.5) would give on the raw durations.
 */
export function medianFromHistogram(histogram: readonly BucketCount[]): number | null {
  const sorted = histogram.filter((b) => b.n > 0).sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, b) => sum + b.n, 0);
  if (total === 0) return null;
  const valueAt = (rank: number): number => {
    let seen = 0;
    for (const b of sorted) {
      seen += b.n;
      if (rank < seen) return bucketMiddle(b.bucket);
    }
    return bucketMiddle(sorted[sorted.length - 1].bucket);
  };
  return (valueAt(Math.floor((total - 1) / 2)) + valueAt(Math.floor(total / 2))) / 2;
}
