import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-delay.js';

describe('retryDelayMs', () => {
  it('retries first within the base delay and grows fourfold, between half and all of each step', () => {
    expect(retryDelayMs(1, 1000, 3_600_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 3_600_000, () => 0.999999)).toBe(1000);
    expect(retryDelayMs(2, 1000, 3_600_000, () => 0)).toBe(2000);
    expect(retryDelayMs(3, 1000, 3_600_000, () => 0.5)).toBe(12_000);
  });

  it('never waits longer than the cap', () => {
    for (let attempt = 1; attempt < 60; attempt++) expect(retryDelayMs(attempt, 1000, 60_000, () => 0.999)).toBeLessThanOrEqual(60_000);
  });
});
