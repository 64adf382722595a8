/** Median of the finite values; NaN when there are none. */
export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid]! : (finite[mid - 1]! + finite[mid]!) / 2;
}

/**
 * Herald's figure over a peer's, for a metric where more is better; pass
 * `isLowerBetter` for latencies so that above 1 always means "Herald better".
 * NaN when either side is missing or the peer's is zero.
 */
export function advantage(herald: number, peer: number, isLowerBetter = false): number {
  if (!Number.isFinite(herald) || !Number.isFinite(peer)) return NaN;
  const [top, bottom] = isLowerBetter ? [peer, herald] : [herald, peer];
  return bottom === 0 ? NaN : top / bottom;
}
