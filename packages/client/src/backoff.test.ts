import { describe, expect, it } from 'vitest';
import { backoffCeilingMs, constantBackoff, fullJitterBackoff } from './backoff.js';

describe('fullJitterBackoff', () => {
  it('draws each delay uniformly below a ceiling that doubles from initialDelayMs', () => {
    const top = fullJitterBackoff({ initialDelayMs: 100, maxDelayMs: 10_000, random: () => 0.999999 });
    expect([0, 1, 2, 3].map(top)).toEqual([99, 199, 399, 799]);
    const bottom = fullJitterBackoff({ initialDelayMs: 100, random: () => 0 });
    expect(bottom(5)).toBe(0);
  });

  it('caps the ceiling at maxDelayMs however many attempts have failed', () => {
    const backoff = fullJitterBackoff({ initialDelayMs: 250, maxDelayMs: 30_000, random: () => 0.5 });
    expect(backoff(10)).toBe(15_000);
    expect(backoff(5000)).toBe(15_000);
    expect(backoffCeilingMs(Number.MAX_SAFE_INTEGER, 250, 30_000, 2)).toBe(30_000);
  });

  it('treats a negative or fractional attempt as the nearest whole attempt from 0', () => {
    expect(backoffCeilingMs(-3, 100, 1000, 2)).toBe(100);
    expect(backoffCeilingMs(1.7, 100, 1000, 2)).toBe(200);
  });

  it('stays within [0, ceiling) over many draws with the real random source', () => {
    const backoff = fullJitterBackoff({ initialDelayMs: 10, maxDelayMs: 1000 });
    for (let attempt = 0; attempt < 20; attempt++) {
      const delay = backoff(attempt);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(backoffCeilingMs(attempt, 10, 1000, 2));
    }
  });

  it('refuses settings that make no sense', () => {
    expect(() => fullJitterBackoff({ factor: 0.5 })).toThrow(RangeError);
    expect(() => fullJitterBackoff({ initialDelayMs: -1 })).toThrow(RangeError);
  });
});

describe('constantBackoff', () => {
  it('waits the same time on every attempt', () => {
    const backoff = constantBackoff(42);
    expect([0, 1, 100].map(backoff)).toEqual([42, 42, 42]);
  });
});
