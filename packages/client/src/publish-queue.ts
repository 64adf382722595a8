import type { HeraldEvent } from '@herald/protocol';
import { HeraldQueueFullError } from './errors.js';

/**
 * An event to publish: a `type` and whatever else the publisher knows. The
 * server fills in `seq`, `category` and the defaults (`severity: info`,
 * `priority: normal`, `time`: now); the SDK fills in `id` when absent.
 */
export type PublishEvent = Pick<HeraldEvent, 'type'> &
  Partial<Pick<HeraldEvent, 'id' | 'source' | 'time' | 'severity' | 'priority' | 'correlation_id' | 'org' | 'data'>>;

/** An event on its way to the server: its id is fixed, so a resend is recognised. */
export type OutgoingEvent = PublishEvent & { id: string };

/** What the server acknowledged: ids and seqs in the order the events were given. */
export interface PublishResult {
  ids: string[];
  seqs: number[];
  /** Ids the server had stored already (a resend after a lost connection): acknowledged, not stored twice. */
  duplicates?: string[];
}

/** One `publish` call: its events are sent, acknowledged and retried together. */
export interface PublishEntry {
  readonly events: OutgoingEvent[];
  isInFlight: boolean;
}

interface Entry extends PublishEntry {
  resolve: (result: PublishResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Publishes not yet acknowledged, in call order. An entry stays here from
 * `publish` until the server's `published` reply (or an error reply), across
 * any number of lost connections: a send that loses its socket goes back to
 * waiting and is sent again, under the same event ids, on the next one.
 *
 * The bound counts events, not calls: `add` refuses a call whose events would
 * take the total past `maxEvents`.
 */
export class PublishQueue {
  readonly #maxEvents: number;
  readonly #entries = new Set<Entry>();
  #eventCount = 0;

  constructor(options: { maxEvents: number }) {
    this.#maxEvents = options.maxEvents;
  }

  /** Events waiting to be sent or acknowledged. */
  get eventCount(): number {
    return this.#eventCount;
  }

  /**
   * Queues one publish call. Resolves with the server's acknowledgement;
   * rejects at once with {@link HeraldQueueFullError} when the queue has no room.
   */
  add(events: OutgoingEvent[]): Promise<PublishResult> {
    if (this.#eventCount + events.length > this.#maxEvents) {
      return Promise.reject(
        new HeraldQueueFullError(
          'publish_queue_full',
          `cannot queue ${events.length} event(s): ${this.#eventCount} of at most ${this.#maxEvents} already wait for acknowledgement (maxPendingPublishEvents); the server is unreachable or slow`,
          { pending: this.#eventCount, maxPendingPublishEvents: this.#maxEvents },
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.#entries.add({ events, isInFlight: false, resolve, reject });
      this.#eventCount += events.length;
    });
  }

  /** Entries not in flight, oldest first; each is marked in flight as it is returned. */
  takeUnsent(): PublishEntry[] {
    const out: PublishEntry[] = [];
    for (const entry of this.#entries) {
      if (entry.isInFlight) continue;
      entry.isInFlight = true;
      out.push(entry);
    }
    return out;
  }

  /** The server acknowledged the entry. */
  succeed(entry: PublishEntry, result: PublishResult): void {
    this.#remove(entry)?.resolve(result);
  }

  /** The entry failed for good (an error reply, a timeout). */
  fail(entry: PublishEntry, error: unknown): void {
    this.#remove(entry)?.reject(error);
  }

  /** The entry's socket was lost before the reply: it waits for the next one, in its old place. */
  requeue(entry: PublishEntry): void {
    if (this.#entries.has(entry as Entry)) entry.isInFlight = false;
  }

  /** Rejects every entry (the client is closed for good). */
  failAll(error: unknown): void {
    for (const entry of [...this.#entries]) this.fail(entry, error);
  }

  #remove(entry: PublishEntry): Entry | undefined {
    const e = entry as Entry;
    if (!this.#entries.delete(e)) return undefined;
    this.#eventCount -= e.events.length;
    return e;
  }
}
