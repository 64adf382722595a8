/**
 * Wait before retry number `attempt` (1 after the first failed attempt),
 * in ms: `baseMs * 4^(attempt-1)` capped at `maxMs`, with "equal jitter"
 * (half fixed, half random) so that retries of many webhooks spread out but
 * the first one still comes within about `baseMs`. With the defaults (1 s,
 * 1 h) eight attempts span about an hour and a half.
 * `random` returns [0, 1); injected for tests.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(maxMs, baseMs * 4 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
