import { describe, expect, it } from 'vitest';
import { dueCount, maxBurstFor } from './pacer.js';

describe('dueCount', () => {
  it('keeps the sent count on the rate line', () => {
    expect(dueCount({ elapsedUs: 10_000, ratePerS: 1_000, sent: 0, maxBurst: 100 })).toBe(10);
    expect(dueCount({ elapsedUs: 10_000, ratePerS: 1_000, sent: 10, maxBurst: 100 })).toBe(0);
    expect(dueCount({ elapsedUs: 10_999, ratePerS: 1_000, sent: 10, maxBurst: 100 })).toBe(0);
  });

  it('caps a catch-up burst and never goes negative', () => {
    expect(dueCount({ elapsedUs: 1_000_000, ratePerS: 1_000, sent: 0, maxBurst: 50 })).toBe(50);
    expect(dueCount({ elapsedUs: 0, ratePerS: 1_000, sent: 5, maxBurst: 50 })).toBe(0);
  });
});

describe('maxBurstFor', () => {
  it('allows 50 ms of events and at least one', () => {
    expect(maxBurstFor(1_000)).toBe(50);
    expect(maxBurstFor(1)).toBe(1);
  });
});
