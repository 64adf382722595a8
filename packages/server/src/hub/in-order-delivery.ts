import type { HeraldEvent } from '@herald/protocol';

/** A publish's new events on their way to the log, in the pipeline's order. */
export interface PendingBatch {
  readonly events: readonly HeraldEvent[];
  readonly jsons: readonly string[];
  /**
   * `writing`: the append is running. `durable`: committed, waiting for the
   * batches before it. `held`: the append failed or its outcome is unknown;
   * the batch waits for the store to come back and be written again.
   */
  state: 'writing' | 'durable' | 'held';
  /** True once its publishers were told `store_unavailable` (they are told once). */
  isRefused: boolean;
  /**
   * Ids the publisher supplied: the only ones a concurrent publish (here or
   * on another node) may name too, so the only ones tracked while in flight.
   */
  suppliedIds?: readonly string[];
  /** When the batch was sequenced (`process.hrtime.bigint()`), for the dispatch-time metric. */
  sequencedAtNs?: bigint;
  /**
   * Supplied ids another node stored first, under its own seq: the store kept
   * that copy, so this batch's copy is neither delivered nor acknowledged
   * with its seq (the stored seq answers instead).
   */
  lost?: Map<string, number>;
  /** Settles when the batch is delivered (resolves) or held or refused (rejects). */
  readonly outcome: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

/** A batch whose outcome promise is already observed, so that a rejection nobody awaits is not reported as unhandled. */
export function pendingBatch(events: readonly HeraldEvent[], jsons: readonly string[]): PendingBatch {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const outcome = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  outcome.catch(() => undefined);
  return { events, jsons, state: 'writing', isRefused: false, outcome, resolve, reject };
}

/**
 * Batches in seq order, released from the head as each becomes durable: a
 * later batch whose commit finishes first waits for the earlier ones, so
 * delivery is in seq order and never includes an event the log lacks.
 */
export class InOrderDelivery {
  private readonly queue: PendingBatch[] = [];
  private head = 0;

  constructor(private readonly deliver: (batch: PendingBatch) => void) {}

  /** Number of batches not yet delivered. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** Adds a batch; its events must all be above every batch already added. */
  add(batch: PendingBatch): void {
    this.queue.push(batch);
  }

  /** The batch committed: delivers it and every durable batch after it once all before it are delivered. */
  markDurable(batch: PendingBatch): void {
    batch.state = 'durable';
    this.release();
  }

  /** Drops a batch the store refused for good (nothing of it was stored); those behind it may go on. */
  remove(batch: PendingBatch): void {
    const at = this.queue.indexOf(batch, this.head);
    if (at !== -1) this.queue.splice(at, 1);
    this.release();
  }

  /** Undelivered batches, in seq order. */
  undelivered(): PendingBatch[] {
    return this.queue.slice(this.head);
  }

  private release(): void {
    while (this.head < this.queue.length && this.queue[this.head]!.state === 'durable') {
      const batch = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as PendingBatch;
      this.deliver(batch);
    }
    // Compact now and then rather than shifting on every delivery.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    } else if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
  }
}
