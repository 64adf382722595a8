import type { Filters, HeraldEvent, SinceValue, SubscriptionInfo } from '@herald/protocol';
import { AsyncQueue } from './async-queue.js';
import { TypedEmitter } from './typed-emitter.js';

/** What to subscribe to. */
export interface SubscribeOptions {
  /** Type patterns: `*`, exact types, `claude.*` (any depth), `repo.*.created` (one segment). */
  types: string[];
  /** Filters in Herald's filter language; all must hold. */
  filters?: Filters;
  /**
   * Where to start: a seq (events after it), an ISO time, `"earliest"`, or
   * `"latest"`/absent for live events only. Reconnects always resume from the
   * last seq this subscription delivered, whatever this was.
   */
  since?: SinceValue;
  /** Subscription id (letters, digits, `_ . : -`, at most 64); generated when absent. */
  id?: string;
  /**
   * Most events the async iterator holds for a reader that lags; past it the
   * oldest are dropped and counted in `stats.dropped`. Default: the client's
   * `subscriptionBufferSize` (1,000). 0 buffers nothing, for subscriptions
   * read only through `on('event')`.
   */
  bufferSize?: number;
}

/** The `replayed` marker: the replay after a `since` is complete. */
export interface ReplayInfo {
  subscription_id: string;
  count: number;
  to_seq: number;
  /** False when `since` was older than the store holds: events before `earliest_seq` are gone. */
  recovered: boolean;
  earliest_seq?: number;
}

/** Events of a {@link Subscription}. */
export type SubscriptionEvents = {
  /** A new event, after de-duplication; `isReplay` when it came from a replay. */
  event: [event: HeraldEvent, meta: { isReplay: boolean }];
  /** The server confirmed the subscription (again after each reconnect). */
  subscribed: [info: SubscriptionInfo];
  /** A replay finished. */
  replayed: [info: ReplayInfo];
  /** A replay could not reach back to where it was asked to start: some events were lost to retention. */
  gap: [info: ReplayInfo];
  /** The subscription ended: by `unsubscribe()`, by a close of the client, or with the server's error. */
  closed: [error: Error | undefined];
};

/** Counters of one subscription. */
export interface SubscriptionStats {
  /** Events delivered to the application. */
  delivered: number;
  /** Events dropped as duplicates (seq not above the last delivered). */
  duplicates: number;
  /** Events the async iterator dropped because its reader lagged more than `bufferSize`. */
  dropped: number;
}

/** What a subscription needs from its client. */
export interface SubscriptionOwner {
  unsubscribe(subscription: Subscription): Promise<void>;
}

/**
 * A live subscription: an async iterator of events and an emitter at once.
 * Across reconnects it resumes from the last seq it delivered and drops what
 * it has seen, so the application sees each matching event once, in seq order.
 *
 * Leaving a `for await` loop early (`break`, `return`, a throw) unsubscribes.
 *
 * @example
 * ```ts
 * const sub = client.subscribe({ types: ['mcp.*'], filters: { severity: ['error', 'critical'] } });
 * sub.on('gap', (info) => console.warn('events before', info.earliest_seq, 'are gone'));
 * for await (const event of sub) {
 *   console.log(event.seq, event.type, event.data);
 * }
 * ```
 */
export class Subscription extends TypedEmitter<SubscriptionEvents> {
  /** The subscription id, chosen client-side so it survives reconnects. */
  readonly id: string;
  readonly types: readonly string[];
  readonly filters: Filters | undefined;
  readonly #since: SinceValue | undefined;
  readonly #owner: SubscriptionOwner;
  readonly #queue: AsyncQueue<HeraldEvent>;
  #lastSeq: number | undefined;
  #isClosed = false;
  #delivered = 0;
  #duplicates = 0;
  readonly #ready: Promise<void>;
  #settleReady: (error?: Error) => void = () => {};

  /** @internal Created by {@link HeraldClient.subscribe}. */
  constructor(owner: SubscriptionOwner, id: string, options: SubscribeOptions, bufferSize: number) {
    super();
    this.#owner = owner;
    this.id = id;
    this.types = [...options.types];
    this.filters = options.filters;
    this.#since = options.since;
    this.#queue = new AsyncQueue({ capacity: options.bufferSize ?? bufferSize, onReturn: () => void this.unsubscribe() });
    this.#ready = new Promise<void>((resolve, reject) => {
      this.#settleReady = (error) => (error ? reject(error) : resolve());
    });
    // Awaiting ready() is optional; an unobserved failure must not surface as an unhandled rejection.
    this.#ready.catch(() => {});
  }

  /** The seq of the last event delivered, where a reconnect resumes; undefined before the first. */
  get lastSeq(): number | undefined {
    return this.#lastSeq;
  }

  /** True once the subscription has ended. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  get stats(): SubscriptionStats {
    return { delivered: this.#delivered, duplicates: this.#duplicates, dropped: this.#queue.droppedCount };
  }

  /**
   * Resolves when the server first confirms the subscription; rejects with
   * its error (`forbidden`, `invalid_params`, …) or when the client closes first.
   */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Ends the subscription on the server and here; the iterator finishes. Safe to call twice. */
  async unsubscribe(): Promise<void> {
    if (this.#isClosed) return;
    this.end(undefined);
    await this.#owner.unsubscribe(this);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<HeraldEvent> {
    return this.#queue;
  }

  /** @internal The frame that (re)creates this subscription on a new connection. */
  subscribeFrame(): { action: 'subscribe'; subscription_id: string; event_types: string[]; filters?: Filters; since?: SinceValue } {
    const since = this.#lastSeq ?? this.#since;
    return {
      action: 'subscribe',
      subscription_id: this.id,
      event_types: [...this.types],
      ...(this.filters ? { filters: this.filters } : {}),
      ...(since === undefined ? {} : { since }),
    };
  }

  /**
   * @internal The server confirmed. `seqNow` is the newest seq this connection
   * knows of; a live-only subscription that has delivered nothing resumes
   * from it, so a reconnect replays what it missed meanwhile.
   */
  handleSubscribed(info: SubscriptionInfo, seqNow: number | undefined): void {
    if (this.#isClosed) return;
    if (this.#lastSeq === undefined && (this.#since === undefined || this.#since === 'latest')) this.#lastSeq = seqNow;
    this.emit('subscribed', info);
    this.#settleReady();
  }

  /** @internal Delivers an event unless this subscription has delivered its seq already. */
  handleEvent(event: HeraldEvent, isReplay: boolean): void {
    if (this.#isClosed) return;
    if (this.#lastSeq !== undefined && event.seq <= this.#lastSeq) {
      this.#duplicates++;
      return;
    }
    this.#lastSeq = event.seq;
    this.#delivered++;
    this.#queue.push(event);
    this.emit('event', event, { isReplay });
  }

  /** @internal */
  handleReplayed(info: ReplayInfo): void {
    if (this.#isClosed) return;
    this.emit('replayed', info);
    if (!info.recovered) this.emit('gap', info);
  }

  /** @internal Ends the subscription here only; the iterator throws `error` after what it holds. */
  end(error: Error | undefined): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#queue.end(error);
    this.#settleReady(error ?? new Error(`subscription ${this.id} ended before the server confirmed it`));
    this.emit('closed', error);
  }
}
