/**
 * Writes a batch in one transaction. Returns one entry per item: `undefined`
 * when that item is part of the commit, or the error that kept it out (the
 * rest of the batch still commits). Throwing means nothing was committed.
 */
export type CommitBatch<T> = (items: readonly T[]) => ReadonlyArray<Error | undefined> | Promise<ReadonlyArray<Error | undefined>>;

interface Waiter<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: items enqueued within the same event-loop turn, or while a
 * commit is running, are handed to `commit` together, so many writers share
 * one transaction (and one fsync). Each `enqueue` promise settles after the
 * commit that included its item: it resolves when the item is durable and
 * rejects when it is not.
 *
 * @example
 * const group = new GroupCommit<Row[]>((batch) => db.transaction(() => batch.map(write))());
 * await group.enqueue(rows); // durable here
 */
export class GroupCommit<T> {
  private pending: Waiter<T>[] = [];
  private isScheduled = false;
  private running: Promise<void> | undefined;

  constructor(private readonly commit: CommitBatch<T>) {}

  /** Number of items waiting for a commit. */
  get size(): number {
    return this.pending.length;
  }

  /** Queues `item` for the next commit; settles with that commit. */
  enqueue(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Commits everything queued so far without waiting for the next turn; resolves once the queue is empty. */
  async drain(): Promise<void> {
    while (this.pending.length > 0 || this.running) await this.run();
  }

  private schedule(): void {
    // A running loop picks up new items itself once its current commit ends.
    if (this.isScheduled || this.running) return;
    this.isScheduled = true;
    setImmediate(() => {
      this.isScheduled = false;
      void this.run();
    });
  }

  private run(): Promise<void> {
    this.running ??= this.loop().finally(() => {
      this.running = undefined;
      // Items queued between the loop's last check and this callback.
      if (this.pending.length > 0) this.schedule();
    });
    return this.running;
  }

  private async loop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      await this.commitBatch(batch);
    }
  }

  private async commitBatch(batch: Waiter<T>[]): Promise<void> {
    let results: ReadonlyArray<Error | undefined>;
    try {
      results = await this.commit(batch.map((w) => w.item));
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => {
      const err = results[i];
      if (err) w.reject(err);
      else w.resolve();
    });
  }
}
