import { describe, expect, it } from 'vitest';
import { buildData } from './payload.js';

describe('buildData', () => {
  it('produces valid JSON of exactly the requested size', () => {
    const text = buildData(123_456_789_012, 7, 256);
    expect(text.length).toBe(256);
    expect(JSON.parse(text)).toMatchObject({ t: 123_456_789_012, g: 7 });
  });

  it('never pads below the fields themselves', () => {
    expect(JSON.parse(buildData(1, 2, 4))).toEqual({ t: 1, g: 2, pad: '' });
  });
});
