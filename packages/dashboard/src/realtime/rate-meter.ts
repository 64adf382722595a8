import { Store } from './store';

const WINDOW_S = 5;

/** Events per second over the last few seconds, updated once a second. */
export class RateMeter extends Store<number> {
  #count = 0;
  readonly #samples: number[] = [];
  readonly #timer: ReturnType<typeof setInterval>;

  constructor() {
    super(0);
    this.#timer = setInterval(() => this.#tick(), 1000);
  }

  record(count = 1): void {
    this.#count += count;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  #tick(): void {
    this.#samples.push(this.#count);
    this.#count = 0;
    if (this.#samples.length > WINDOW_S) this.#samples.shift();
    const total = this.#samples.reduce((sum, n) => sum + n, 0);
    this.set(Math.round((total / this.#samples.length) * 10) / 10);
  }
}
