/**
 * A token bucket: `ratePerS` tokens a second up to `burst`. Time is injected
 * so tests need no real clock.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly ratePerS: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.lastMs = now();
  }

  /** Takes `n` tokens; returns 0 when granted, else the ms to wait before retrying. */
  take(n = 1): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.lastMs) * this.ratePerS) / 1000);
    this.lastMs = t;
    if (this.tokens >= n) {
      this.tokens -= n;
      return 0;
    }
    return Math.ceil(((n - this.tokens) * 1000) / this.ratePerS);
  }
}
