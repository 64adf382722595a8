import type { Backoff } from './backoff.js';

/** Settings of a {@link ReconnectLoop}. */
export interface ReconnectLoopOptions<T> {
  /** One try; resolves when connected. */
  attempt: () => Promise<T>;
  /** Whether a failure may be retried (from its close code). */
  isRetryable: (error: unknown) => boolean;
  backoff: Backoff;
  /** Most retries in one run before giving up; Infinity for no limit. */
  maxRetries: number;
  /** Called before each wait: retry number from 0, the wait in ms, and what failed. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** Why a run ended without connecting, when it was {@link ReconnectLoop.stop}ped. */
export class ReconnectStoppedError extends Error {
  override name = 'ReconnectStoppedError';
}

/**
 * Tries to connect until it succeeds, waiting `backoff(n)` between tries.
 * One run at a time: concurrent callers of {@link run} share it. Time comes
 * from `setTimeout`, so tests drive it with fake timers.
 */
export class ReconnectLoop<T> {
  readonly #options: ReconnectLoopOptions<T>;
  #running: Promise<T> | undefined;
  #isStopped = false;
  #wake: (() => void) | undefined;

  constructor(options: ReconnectLoopOptions<T>) {
    this.#options = options;
  }

  /** True while a run is in progress. */
  get isRunning(): boolean {
    return this.#running !== undefined;
  }

  /**
   * Starts a run, or joins the one in progress. With `after`, the run begins
   * as if a try had just failed with it: it waits `backoff(0)` first, which
   * spreads the clients of a server that dropped them all at once.
   */
  run(after?: { error: unknown }): Promise<T> {
    if (this.#running) return this.#running;
    const running = this.#loop(after);
    this.#running = running;
    const clear = (): void => {
      if (this.#running === running) this.#running = undefined;
    };
    running.then(clear, clear);
    return running;
  }

  /**
   * Says the run in progress has connected, from inside `attempt` before its
   * promise settles: a drop right after that must start a new run rather than
   * join one that is about to resolve.
   */
  markConnected(): void {
    this.#running = undefined;
  }

  /** Ends the run in progress (it rejects with {@link ReconnectStoppedError}) and every later one. */
  stop(): void {
    this.#isStopped = true;
    this.#wake?.();
  }

  async #loop(after: { error: unknown } | undefined): Promise<T> {
    let failures = 0;
    let error: unknown = after?.error;
    let hasFailed = after !== undefined;
    for (;;) {
      if (this.#isStopped) throw new ReconnectStoppedError('reconnecting was stopped');
      if (hasFailed) {
        if (!this.#options.isRetryable(error) || failures >= this.#options.maxRetries) throw error;
        const delayMs = Math.max(0, this.#options.backoff(failures));
        this.#options.onRetry?.({ attempt: failures, delayMs, error });
        failures++;
        await this.#sleep(delayMs);
        if (this.#isStopped) throw new ReconnectStoppedError('reconnecting was stopped');
      }
      try {
        return await this.#options.attempt();
      } catch (err) {
        error = err;
        hasFailed = true;
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }
}
