import { describe, expect, it } from 'vitest';
import { advantage, median } from './aggregate.js';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two, skipping NaN', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, NaN, 2, 3])).toBe(2.5);
    expect(median([NaN])).toBeNaN();
  });
});

describe('advantage', () => {
  it('is above 1 when Herald is better, whichever direction the metric runs', () => {
    expect(advantage(200, 100)).toBe(2);
    expect(advantage(2, 4, true)).toBe(2);
  });

  it('is NaN when a side is missing or the divisor is zero', () => {
    expect(advantage(NaN, 1)).toBeNaN();
    expect(advantage(1, 0)).toBeNaN();
  });
});
