import type { HeraldEvent } from '@herald/protocol';
import type { OutboundFrame } from '../connection/ws-frame.js';

/** An event with its JSON, serialised once. */
export interface LoggedEvent {
  event: HeraldEvent;
  json: string;
  /**
   * The replay frame last built for this event, with the subscription id it
   * names: a resume storm of clients using the same subscription id builds
   * each frame once.
   */
  replay?: { subscriptionId: string; frame: OutboundFrame };
}

/**
 * The newest delivered events in seq order, kept in memory so that most
 * resumes are served without the store and without a gap. Only durable
 * events are pushed (the publisher delivers nothing else), so everything
 * older than the buffer is in the store.
 */
export class ReplayBuffer {
  private items: Array<LoggedEvent | undefined>;
  private head = 0; // index of the oldest
  private length = 0;

  constructor(private readonly capacity: number) {
    this.items = new Array(Math.max(16, capacity));
  }

  get size(): number {
    return this.length;
  }

  /** Seq of the oldest event held, or undefined when empty. */
  get firstSeq(): number | undefined {
    return this.length === 0 ? undefined : this.items[this.head]!.event.seq;
  }

  /** Appends a durable event; events must come in ascending seq. */
  push(entry: LoggedEvent): void {
    if (this.length === this.items.length) this.grow();
    this.items[(this.head + this.length) % this.items.length] = entry;
    this.length++;
    this.evict();
  }

  /** Calls `visit` for each held event with seq > afterSeq, ascending, until it returns false. */
  forEachAfter(afterSeq: number, visit: (entry: LoggedEvent) => boolean | void): void {
    const n = this.length;
    const cap = this.items.length;
    // Binary search for the first index with seq > afterSeq.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[(this.head + mid) % cap]!.event.seq <= afterSeq) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < n; i++) if (visit(this.items[(this.head + i) % cap]!) === false) return;
  }

  private evict(): void {
    while (this.length > this.capacity) {
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % this.items.length;
      this.length--;
    }
  }

  private grow(): void {
    const next = new Array<LoggedEvent | undefined>(this.items.length * 2);
    for (let i = 0; i < this.length; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}
