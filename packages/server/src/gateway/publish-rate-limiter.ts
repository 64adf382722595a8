import { TokenBucket } from '../connection/token-bucket.js';
import { HeraldError } from '../errors/herald-error.js';

/** Buckets kept at most; past this the idle ones are forgotten (a fresh bucket is full, so this only forgives). */
const MAX_BUCKETS = 100_000;

/**
 * Events per second per identity, over HTTP and WebSocket alike, so one
 * publisher cannot flood the log however many connections it opens.
 */
export class PublishRateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly eventsPerSecond: number, private readonly now: () => number = Date.now) {}

  /** Takes `count` events from the identity's budget or throws rate_limited. */
  take(identityId: string, count: number): void {
    let bucket = this.buckets.get(identityId);
    if (!bucket) {
      if (this.buckets.size >= MAX_BUCKETS) this.buckets.clear();
      // A burst of one second's worth, so a batch up to the rate passes at once.
      bucket = new TokenBucket(this.eventsPerSecond, this.eventsPerSecond, this.now);
      this.buckets.set(identityId, bucket);
    }
    const retryAfterMs = bucket.take(Math.min(count, this.eventsPerSecond));
    if (retryAfterMs > 0) {
      throw new HeraldError('rate_limited', `more than ${this.eventsPerSecond} events per second from "${identityId}"; slow down`, {
        retry_after_ms: retryAfterMs,
        limit: 'publishesPerSecond',
      });
    }
  }
}
