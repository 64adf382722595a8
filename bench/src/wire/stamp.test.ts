import { describe, expect, it } from 'vitest';
import { readStamp } from './stamp.js';

describe('readStamp', () => {
  it('reads the integer after "t": and ignores keys that only start with t', () => {
    expect(readStamp(Buffer.from('{"type":"event","time":"x","data":{"t":1234567,"g":3}}'))).toBe(1234567);
  });

  it('returns -1 when the stamp is missing or lies past the end bound', () => {
    expect(readStamp(Buffer.from('{"type":"subscribed"}'))).toBe(-1);
    const buf = Buffer.from('MSG a 1 9\r\n{"t":42}\r\n');
    expect(readStamp(buf, 0, 10)).toBe(-1);
    expect(readStamp(buf, 11, 19)).toBe(42);
  });
});
