import { HeraldError } from '../errors/herald-error.js';

/** What `/health` and the metrics say about the store's writes. */
export interface StoreState {
  /** False while appends fail: publishes are refused with `store_unavailable`. */
  readonly isWritable: boolean;
  /** The last failure, while not writable. */
  readonly reason?: string;
  /** When the outage began, ISO. */
  readonly since?: string;
}

/** First wait before probing the store again, ms; doubles up to {@link MAX_PROBE_DELAY_MS}. */
const FIRST_PROBE_DELAY_MS = 250;
/** Longest wait between probes, ms: a store that comes back is used again within this. */
const MAX_PROBE_DELAY_MS = 4_000;
/** Shortest `retry_after_ms` told to publishers, ms. */
const MIN_RETRY_AFTER_MS = 1_000;

/**
 * The degraded state of the publisher while its store cannot take writes:
 * refusals carry a `retry_after_ms`, and a loop calls `recover` with
 * backoff until it reports that nothing is held any more.
 */
export class StoreOutage {
  private current: { reason: string; sinceMs: number; delayMs: number; nextProbeMs: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private isStopped = false;

  constructor(
    private readonly deps: {
      /** One recovery attempt; resolves true when the store took every held event. */
      recover(): Promise<boolean>;
      /** The store's description, for logs; publishers are told only its kind (`sqlite`, `postgres`). */
      storeName: string;
      logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
      now?: () => number;
    },
  ) {}

  get state(): StoreState {
    const c = this.current;
    return c ? { isWritable: false, reason: c.reason, since: new Date(c.sinceMs).toISOString() } : { isWritable: true };
  }

  /** The error to refuse a publish with while degraded, else undefined. */
  refusal(): HeraldError | undefined {
    const c = this.current;
    if (!c) return undefined;
    return this.error(`the ${this.kind} event store cannot take writes (${c.reason}); nothing was acknowledged: retry with the same ids`);
  }

  /** A `store_unavailable` error for a failure that does not by itself degrade the publisher (a failed read). */
  unavailable(err: unknown, context: string): HeraldError {
    return this.error(`${context} (${messageOf(err)}); nothing was acknowledged: retry with the same ids`);
  }

  /** Enters the degraded state (once) after a failed append; returns the error its publishers get. */
  begin(err: unknown): HeraldError {
    const now = this.now();
    if (!this.current) {
      this.current = { reason: messageOf(err), sinceMs: now, delayMs: FIRST_PROBE_DELAY_MS, nextProbeMs: now + FIRST_PROBE_DELAY_MS };
      this.deps.logger?.warn(
        { err, store: this.deps.storeName },
        'the event store cannot take writes: publishes are refused until it recovers',
      );
      this.schedule();
    }
    return this.error(
      `the ${this.kind} event store could not make the events durable (${messageOf(err)}); they were not acknowledged: retry with the same ids`,
    );
  }

  stop(): void {
    this.isStopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const c = this.current;
    if (!c || this.isStopped) return;
    this.timer = setTimeout(() => void this.probe(), Math.max(0, c.nextProbeMs - this.now()));
    this.timer.unref();
  }

  private async probe(): Promise<void> {
    this.timer = undefined;
    const c = this.current;
    if (!c || this.isStopped) return;
    let isRecovered = false;
    try {
      isRecovered = await this.deps.recover();
    } catch (err) {
      c.reason = messageOf(err);
    }
    if (isRecovered) {
      this.current = undefined;
      this.deps.logger?.info({ store: this.deps.storeName, outage_ms: this.now() - c.sinceMs }, 'the event store takes writes again');
      return;
    }
    c.delayMs = Math.min(MAX_PROBE_DELAY_MS, c.delayMs * 2);
    c.nextProbeMs = this.now() + c.delayMs;
    this.schedule();
  }

  private error(message: string): HeraldError {
    const c = this.current;
    const retryAfterMs = Math.max(MIN_RETRY_AFTER_MS, c ? c.nextProbeMs - this.now() : 0);
    return new HeraldError('store_unavailable', message, { retry_after_ms: Math.ceil(retryAfterMs), store: this.kind });
  }

  private get kind(): string {
    return this.deps.storeName.split(':')[0]!;
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

function messageOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
