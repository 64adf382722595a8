import { nowUs } from '../clock.js';

/**
 * This process's CPU time over a measurement window, sampled by timers at the
 * window's edges (the generator's own load, to tell when it was the limit).
 */
export class WindowCpu {
  #startUs = NaN;
  #usedUs = NaN;
  #timers: NodeJS.Timeout[] = [];

  arm(fromUs: number, toUs: number): void {
    for (const timer of this.#timers) clearTimeout(timer);
    const now = nowUs();
    this.#timers = [
      setTimeout(() => (this.#startUs = cpuNowUs()), Math.max(0, (fromUs - now) / 1000)),
      setTimeout(() => (this.#usedUs = cpuNowUs() - this.#startUs), Math.max(0, (toUs - now) / 1000)),
    ];
  }

  /** CPU µs used inside the window; NaN until the window closed. */
  usedUs(): number {
    return this.#usedUs;
  }
}

function cpuNowUs(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}
