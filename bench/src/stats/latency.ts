import * as hdr from 'hdr-histogram-js';

/** Latency percentiles, ms. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Latencies recorded in µs, 1 µs to 10 minutes, 3 significant digits. */
export function createLatencyHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3, bitBucketSize: 32 });
}

/** Records one latency, clamped into the trackable range. */
export function recordUs(histogram: hdr.Histogram, valueUs: number): void {
  histogram.recordValue(Math.min(600_000_000, Math.max(1, Math.round(valueUs))));
}

/** Compact text form for passing a histogram between processes. */
export function encodeHistogram(histogram: hdr.Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Sums encoded histograms from several processes into one summary. */
export function mergeEncoded(encoded: string[]): LatencySummary {
  const total = createLatencyHistogram();
  for (const text of encoded) {
    if (text.length === 0) continue;
    const part = hdr.decodeFromCompressedBase64(text, 32);
    total.add(part);
    part.destroy();
  }
  const summary = summarize(total);
  total.destroy();
  return summary;
}

/** Percentiles of a µs histogram, in ms; NaN when it is empty. */
export function summarize(histogram: hdr.Histogram): LatencySummary {
  if (histogram.totalCount === 0) return { count: 0, p50Ms: NaN, p90Ms: NaN, p95Ms: NaN, p99Ms: NaN, maxMs: NaN };
  const at = (p: number): number => histogram.getValueAtPercentile(p) / 1000;
  return { count: histogram.totalCount, p50Ms: at(50), p90Ms: at(90), p95Ms: at(95), p99Ms: at(99), maxMs: histogram.maxValue / 1000 };
}
