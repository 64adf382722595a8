/**
 * How long to wait before reconnect attempt `attempt` (0 for the first retry
 * after a drop), in milliseconds. Any function of this shape can replace the
 * default, for instance a fixed delay in tests.
 */
export type Backoff = (attempt: number) => number;

/** Settings of {@link fullJitterBackoff}. */
export interface FullJitterOptions {
  /** Ceiling of the first delay, in ms. Default 250. */
  initialDelayMs?: number;
  /** Largest ceiling, in ms. Default 30,000. */
  maxDelayMs?: number;
  /** Growth of the ceiling per attempt. Default 2. */
  factor?: number;
  /** Source of randomness in [0, 1). Default `Math.random`. */
  random?: () => number;
}

/**
 * Exponential backoff with full jitter: the delay is uniform in
 * `[0, min(maxDelayMs, initialDelayMs * factor^attempt))`. Full jitter spreads
 * the clients a restarted server sees over the whole window instead of
 * bunching them at fixed instants (AWS Architecture Blog, "Exponential
 * Backoff And Jitter").
 *
 * @example
 * ```ts
 * const backoff = fullJitterBackoff({ initialDelayMs: 100, maxDelayMs: 10_000 });
 * backoff(0); // somewhere in [0, 100)
 * backoff(5); // somewhere in [0, 3200)
 * ```
 */
export function fullJitterBackoff(options: FullJitterOptions = {}): Backoff {
  const initialDelayMs = options.initialDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const factor = options.factor ?? 2;
  const random = options.random ?? Math.random;
  if (!(initialDelayMs >= 0) || !(maxDelayMs >= 0) || !(factor >= 1)) {
    throw new RangeError('fullJitterBackoff: initialDelayMs and maxDelayMs must be >= 0 and factor >= 1');
  }
  return (attempt) => Math.floor(random() * backoffCeilingMs(attempt, initialDelayMs, maxDelayMs, factor));
}

/** The upper bound of the delay for `attempt`, in ms; safe for any attempt count. */
export function backoffCeilingMs(attempt: number, initialDelayMs: number, maxDelayMs: number, factor: number): number {
  const n = Math.max(0, Math.floor(attempt));
  // factor ** n overflows to Infinity long before n reaches a plausible attempt count; min() absorbs it.
  return Math.min(maxDelayMs, initialDelayMs * factor ** n);
}

/**
 * A backoff that always waits `delayMs`.
 *
 * @example
 * ```ts
 * new HeraldClient({ url, backoff: constantBackoff(50) });
 * ```
 */
export function constantBackoff(delayMs: number): Backoff {
  return () => delayMs;
}
