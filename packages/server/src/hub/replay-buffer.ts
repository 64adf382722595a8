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

  constructor(capacity: number) {
    this.items = new Array(Math.max(1, capacity));
  }

  get size(): number {
    return this.length;
  }

  /** Seq of the oldest event held, or undefined when empty. */
  get firstSeq(): number | undefined {
    return this.length === 0 ? undefined : this.items[this.head]!.event.seq;
  }

  /** Appends a durable event, dropping the oldest once `capacity` are held; events must come in ascending seq. */
  push(entry: LoggedEvent): void {
    const cap = this.items.length;
    if (this.length === cap) {
      // Everything held is durable, so the oldest may always go: a resume reads it from the store.
      this.items[this.head] = undefined;
      this.head = (this.head + 1) % cap;
      this.length--;
    }
    this.items[(this.head + this.length) % cap] = entry;
    this.length++;
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
}
