import type { HeraldEvent } from '@herald/protocol';
import { Store } from './store';

/** Events the live feed keeps; the oldest go first. */
export const FEED_CAPACITY = 10_000;

/** How often arriving events are handed to React, in ms: one render per batch, not per event. */
const FLUSH_MS = 100;
/** The same under a flood (a batch past FLOOD_BATCH): nobody reads 1,000 rows a second, and fewer renders keep the page responsive. */
const FLOOD_FLUSH_MS = 250;
const FLOOD_BATCH = 50;

export interface FeedSnapshot {
  /** Newest first, at most FEED_CAPACITY. */
  readonly events: readonly HeraldEvent[];
  /** Events put on top since the previous snapshot; -1 when the list was reordered (a full rescan is needed). */
  readonly added: number;
  /** Events received since the page opened. */
  readonly received: number;
}

/**
 * The live feed's capped buffer. Events arrive one by one from every
 * subscription; they are batched, de-duplicated by seq (an event matching two
 * subscriptions arrives for each) and published as an immutable newest-first
 * array, so a paused view can keep showing an old snapshot safely.
 */
export class FeedBuffer extends Store<FeedSnapshot> {
  readonly #capacity: number;
  readonly #seen = new Set<number>();
  #pending: HeraldEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #received = 0;
  #lastBatch = 0;

  constructor(capacity = FEED_CAPACITY) {
    super({ events: [], added: 0, received: 0 });
    this.#capacity = capacity;
  }

  add(event: HeraldEvent): void {
    if (this.#seen.has(event.seq)) return;
    this.#seen.add(event.seq);
    this.#received++;
    this.#pending.push(event);
    // A hidden tab gets no timers for a while; the pending batch must stay bounded meanwhile.
    if (this.#pending.length > this.#capacity) this.#forget(this.#pending.splice(0, this.#pending.length - this.#capacity));
    // The very first events show at once: an empty feed has nothing to batch against.
    this.#timer ??= setTimeout(
      () => this.flush(),
      this.get().events.length === 0 ? 0 : this.#lastBatch > FLOOD_BATCH ? FLOOD_FLUSH_MS : FLUSH_MS,
    );
  }

  /** Publishes what arrived since the last flush. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    this.#lastBatch = batch.length;
    const previous = this.get().events;
    batch.sort((a, b) => b.seq - a.seq);
    const newestKnown = previous[0]?.seq ?? -1;
    let events: HeraldEvent[];
    let added: number;
    if ((batch[batch.length - 1]?.seq ?? 0) > newestKnown) {
      events = batch.concat(previous as HeraldEvent[]);
      added = batch.length;
    } else {
      // Replays of several subscriptions interleave after a reconnect: merge so the list stays in seq order.
      events = mergeNewestFirst(batch, previous);
      added = -1;
    }
    if (events.length > this.#capacity) this.#forget(events.splice(this.#capacity));
    this.set({ events, added, received: this.#received });
  }

  clear(): void {
    this.#pending = [];
    this.#seen.clear();
    this.set({ events: [], added: -1, received: this.#received });
  }

  #forget(dropped: HeraldEvent[]): void {
    for (const event of dropped) this.#seen.delete(event.seq);
  }
}

function mergeNewestFirst(a: readonly HeraldEvent[], b: readonly HeraldEvent[]): HeraldEvent[] {
  const out: HeraldEvent[] = new Array<HeraldEvent>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length)
    out[k++] = (a[i] as HeraldEvent).seq > (b[j] as HeraldEvent).seq ? (a[i++] as HeraldEvent) : (b[j++] as HeraldEvent);
  while (i < a.length) out[k++] = a[i++] as HeraldEvent;
  while (j < b.length) out[k++] = b[j++] as HeraldEvent;
  return out;
}
