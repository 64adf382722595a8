import type { SeqSource } from './seq-source.js';

/** One node's counter, starting above the store's highest seq. */
export class MemorySeqSource implements SeqSource {
  readonly description = 'memory';

  constructor(private last: number) {}

  /** Synchronous inside: consecutive calls in one turn get consecutive ranges. */
  take(count: number): Promise<number> {
    const first = this.last + 1;
    this.last += count;
    return Promise.resolve(first);
  }
}
