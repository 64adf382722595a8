import { decodeTime, isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { eventIdFactory, pooledRandom } from './event-id.js';

describe('eventIdFactory', () => {
  it('makes valid, unique ULIDs that increase, carrying the current time', () => {
    const next = eventIdFactory();
    const before = Date.now();
    const ids = Array.from({ length: 5_000 }, () => next());
    expect(ids.every((id) => isValid(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(decodeTime(ids[0]!)).toBeGreaterThanOrEqual(before);
  });
});

describe('pooledRandom', () => {
  it('returns fractions in [0, 1) spread over the range, across pool refills', () => {
    const random = pooledRandom();
    const values = Array.from({ length: 10_000 }, random);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const buckets = new Array(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)]++;
    for (const b of buckets) expect(b).toBeGreaterThan(800);
  });
});
