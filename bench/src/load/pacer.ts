/** Inputs of {@link dueCount}. */
export interface PaceInput {
  /** Time since publishing started, µs. */
  elapsedUs: number;
  /** Target rate, events per second. */
  ratePerS: number;
  /** Events sent so far. */
  sent: number;
  /** Most events to send in one tick, so a stalled loop does not dump a burst. */
  maxBurst: number;
}

/**
 * How many events are due now to keep `sent` on the line `rate × elapsed`.
 * The publisher ticks about every millisecond and sends this many; pacing by
 * the elapsed time instead of per-event timers keeps the rate exact even
 * though timers fire late.
 */
export function dueCount(input: PaceInput): number {
  const target = Math.floor((input.elapsedUs * input.ratePerS) / 1e6);
  return Math.max(0, Math.min(input.maxBurst, target - input.sent));
}

/** The burst cap for a rate: 50 ms worth of events, at least one. */
export function maxBurstFor(ratePerS: number): number {
  return Math.max(1, Math.ceil(ratePerS / 20));
}
