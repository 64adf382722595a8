/** Number of field-filter groups in S4: each subscriber matches one, 10% of events. */
export const GROUP_COUNT = 10;

/**
 * The event data every target carries: the publisher's send stamp `t`
 * (monotonic µs), the group `g` and padding up to `totalBytes` of JSON.
 */
export function buildData(t: number, g: number, totalBytes: number): string {
  const head = `{"t":${t},"g":${g},"pad":"`;
  const padLength = Math.max(0, totalBytes - head.length - 2);
  return `${head}${'x'.repeat(padLength)}"}`;
}
