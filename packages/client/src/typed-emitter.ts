/** Maps each event name to the argument list its listeners receive. */
export type EventMap = Record<string, unknown[]>;

/** A listener for event `K` of map `E`. */
export type Listener<E extends EventMap, K extends keyof E> = (...args: E[K]) => void;

/**
 * A minimal typed event emitter that runs in browsers and Node alike.
 *
 * A listener that throws does not stop the others or the SDK's own
 * bookkeeping: the error is rethrown on a fresh task, where the host reports
 * it (the console in a browser, `uncaughtException` in Node), as an error
 * thrown from an ordinary socket callback would be.
 *
 * @example
 * ```ts
 * const emitter = new TypedEmitter<{ tick: [n: number] }>();
 * const off = emitter.on('tick', (n) => console.log(n));
 * emitter.emit('tick', 1);
 * off();
 * ```
 */
export class TypedEmitter<E extends EventMap> {
  readonly #listeners = new Map<keyof E, Set<Listener<E, keyof E>>>();

  /** Adds a listener; returns a function that removes it. */
  on<K extends keyof E>(event: K, listener: Listener<E, K>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener<E, keyof E>);
    return () => this.off(event, listener);
  }

  /** Adds a listener that runs at most once; returns a function that removes it. */
  once<K extends keyof E>(event: K, listener: Listener<E, K>): () => void {
    const off = this.on(event, ((...args: E[K]) => {
      off();
      listener(...args);
    }) as Listener<E, K>);
    return off;
  }

  /** Removes a listener added with {@link on}. */
  off<K extends keyof E>(event: K, listener: Listener<E, K>): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    set.delete(listener as Listener<E, keyof E>);
    if (set.size === 0) this.#listeners.delete(event);
  }

  /** How many listeners `event` has. */
  listenerCount<K extends keyof E>(event: K): number {
    return this.#listeners.get(event)?.size ?? 0;
  }

  /** Removes every listener, of one event or of all. */
  removeAllListeners<K extends keyof E>(event?: K): void {
    if (event === undefined) this.#listeners.clear();
    else this.#listeners.delete(event);
  }

  /** Calls the listeners of `event` in the order they were added; returns whether there were any. */
  emit<K extends keyof E>(event: K, ...args: E[K]): boolean {
    const set = this.#listeners.get(event);
    if (!set || set.size === 0) return false;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (err) {
        setTimeout(() => {
          throw err;
        }, 0);
      }
    }
    return true;
  }
}
