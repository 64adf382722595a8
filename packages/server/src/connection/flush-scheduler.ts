/**
 * Frames joined during one flush run, keyed by the last frame of a batch:
 * connections that received exactly the same frames in a turn write the
 * same bytes, joined once.
 */
export type SharedWrites = Map<Buffer, { frames: Buffer[]; joined: Buffer }>;

/** Something with frames waiting to be written. */
export interface Flushable {
  flush(shared: SharedWrites): void;
}

/** Joins frames into one buffer, reusing the join of an identical batch from this run. */
export function joinShared(frames: Buffer[], shared: SharedWrites | undefined): Buffer {
  const last = frames[frames.length - 1]!;
  const seen = shared?.get(last);
  if (seen !== undefined && seen.frames.length === frames.length && seen.frames.every((f, i) => f === frames[i])) return seen.joined;
  const joined = Buffer.concat(frames);
  shared?.set(last, { frames, joined });
  return joined;
}

/**
 * Batches writes: connections that got frames during one event-loop turn are
 * flushed together in the next check phase, each with one write, so a burst
 * of events costs one syscall per connection rather than one per frame.
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
    const shared: SharedWrites = new Map();
    for (const target of batch) target.flush(shared);
  };
}
