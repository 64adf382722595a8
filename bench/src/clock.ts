/**
 * Microseconds on the system's monotonic clock. `process.hrtime` reads
 * CLOCK_MONOTONIC, which every process on the machine shares, so a stamp
 * taken in the publisher process can be subtracted from one taken in a
 * subscriber process. Integers up to 2^53 µs: no overflow for 285 years of
 * uptime.
 */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Resolves when the monotonic clock reaches `atUs`. */
export function sleepUntilUs(atUs: number): Promise<void> {
  return sleep((atUs - nowUs()) / 1000);
}
