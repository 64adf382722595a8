/** Settings of an {@link AsyncQueue}. */
export interface AsyncQueueOptions {
  /**
   * Most items held for a reader that has not asked for them yet. When full,
   * the oldest is dropped and counted in {@link AsyncQueue.droppedCount}.
   * 0 holds nothing: an item reaches a reader only if one is waiting.
   */
  capacity: number;
  /** Called when the reader stops early (`break` out of `for await`). */
  onReturn?: () => void;
}

interface Waiter<T> {
  resolve: (result: IteratorResult<T>) => void;
  reject: (error: unknown) => void;
}

/**
 * A single-reader async iterator fed by `push`, with a hard bound on what it
 * holds: a reader that stops reading costs at most `capacity` items, never
 * unbounded memory.
 *
 * @example
 * ```ts
 * const q = new AsyncQueue<number>({ capacity: 2 });
 * q.push(1); q.push(2); q.push(3); // 1 is dropped
 * q.end();
 * for await (const n of q) console.log(n); // 2, 3
 * q.droppedCount; // 1
 * ```
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  readonly #capacity: number;
  readonly #onReturn: (() => void) | undefined;
  #items: T[] = [];
  #head = 0;
  readonly #waiters: Waiter<T>[] = [];
  #isEnded = false;
  #error: unknown = undefined;
  #hasError = false;
  #dropped = 0;

  constructor(options: AsyncQueueOptions) {
    if (!(options.capacity >= 0)) throw new RangeError('AsyncQueue: capacity must be >= 0');
    this.#capacity = options.capacity;
    this.#onReturn = options.onReturn;
  }

  /** Items dropped because the reader fell more than `capacity` behind. */
  get droppedCount(): number {
    return this.#dropped;
  }

  /** Items waiting to be read. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** True once {@link end} or {@link return} has been called. */
  get isEnded(): boolean {
    return this.#isEnded;
  }

  /** Hands `item` to a waiting reader or buffers it; ignored after {@link end}. */
  push(item: T): void {
    if (this.#isEnded) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve({ value: item, done: false });
      return;
    }
    if (this.#capacity === 0) {
      this.#dropped++;
      return;
    }
    if (this.size >= this.#capacity) {
      this.#head++;
      this.#dropped++;
    }
    this.#items.push(item);
    // Compact now and then so the array does not keep dropped or read slots alive.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  /**
   * Ends the stream: buffered items are still read, then the reader gets
   * `done`, or `error` once when one is given.
   */
  end(error?: unknown): void {
    if (this.#isEnded) return;
    this.#isEnded = true;
    if (error !== undefined) {
      this.#error = error;
      this.#hasError = true;
    }
    for (const waiter of this.#waiters.splice(0)) {
      if (this.#hasError) {
        this.#hasError = false;
        waiter.reject(this.#error);
      } else {
        waiter.resolve({ value: undefined, done: true });
      }
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.size > 0) {
      const value = this.#items[this.#head] as T;
      this.#items[this.#head] = undefined as T;
      this.#head++;
      if (this.#head === this.#items.length) {
        this.#items = [];
        this.#head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.#isEnded) {
      if (this.#hasError) {
        this.#hasError = false;
        return Promise.reject(this.#error);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** The reader stopped early: drop what is buffered and tell the owner. */
  return(): Promise<IteratorResult<T>> {
    const wasEnded = this.#isEnded;
    this.#items = [];
    this.#head = 0;
    this.#hasError = false;
    this.end();
    if (!wasEnded) this.#onReturn?.();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
