/**
 * Puts events that arrive out of seq order back in order. Items are offered
 * by seq as they come off the transport; each is emitted once the seqs
 * before it have been emitted or given up. A seq at or below the last one
 * emitted is a repeat and is dropped.
 *
 * Pure: the caller decides when a gap has waited long enough (see
 * {@link gap}) and closes it with {@link offer} or {@link skip}.
 *
 * @example
 * const orderer = new SeqOrderer<string>(0, (seq, item) => console.log(seq, item));
 * orderer.offer(2, 'b'); // held: 1 is missing
 * orderer.offer(1, 'a'); // emits 1 a, then 2 b
 */
export class SeqOrderer<T> {
  private readonly held = new Map<number, T | typeof SKIPPED>();
  private lowestHeld = Infinity;

  /** @param last the seq after which emitting starts */
  constructor(
    private last: number,
    private readonly emit: (seq: number, item: T) => void,
  ) {}

  /** The highest seq emitted or skipped. */
  get lastSeq(): number {
    return this.last;
  }

  /** Items waiting for a gap before them to close. */
  get heldCount(): number {
    return this.held.size;
  }

  /** The missing seqs that hold back the lowest held item, or undefined when nothing waits. */
  get gap(): { fromSeq: number; toSeq: number } | undefined {
    if (this.held.size === 0) return undefined;
    return { fromSeq: this.last + 1, toSeq: this.lowestHeld - 1 };
  }

  offer(seq: number, item: T): void {
    this.put(seq, item);
  }

  /** Gives up the seqs from..to: they will never be emitted, even if they arrive later. */
  skip(fromSeq: number, toSeq: number = fromSeq): void {
    for (let seq = Math.max(fromSeq, this.last + 1); seq <= toSeq; seq++) this.put(seq, SKIPPED);
  }

  private put(seq: number, item: T | typeof SKIPPED): void {
    if (seq <= this.last || this.held.has(seq)) return;
    if (seq !== this.last + 1) {
      this.held.set(seq, item);
      if (seq < this.lowestHeld) this.lowestHeld = seq;
      return;
    }
    this.last = seq;
    if (item !== SKIPPED) this.emit(seq, item);
    if (this.held.size > 0) this.drain();
  }

  private drain(): void {
    for (;;) {
      const next = this.last + 1;
      const item = this.held.get(next);
      if (item === undefined) break;
      this.held.delete(next);
      this.last = next;
      if (item !== SKIPPED) this.emit(next, item);
    }
    this.lowestHeld = Infinity;
    for (const seq of this.held.keys()) if (seq < this.lowestHeld) this.lowestHeld = seq;
  }
}

const SKIPPED = Symbol('skipped');
