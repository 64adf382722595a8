/** Something with frames waiting to be written. */
export interface Flushable {
  flush(): void;
}

/**
 * Batches writes: connections that got frames during one event-loop turn are
 * flushed together in the next check phase, each with one corked write, so a
 * burst of events costs one syscall per connection rather than one per frame.
 */
export class FlushScheduler {
  private pending: Flushable[] = [];
  private isScheduled = false;

  schedule(target: Flushable): void {
    this.pending.push(target);
    if (!this.isScheduled) {
      this.isScheduled = true;
      setImmediate(this.run);
    }
  }

  private readonly run = (): void => {
    const batch = this.pending;
    this.pending = [];
    this.isScheduled = false;
    for (const target of batch) target.flush();
  };
}
