import { describe, expect, it } from 'vitest';
import { createEventId } from './event-id.js';

describe('createEventId', () => {
  it('makes 26 Crockford base32 characters', () => {
    expect(createEventId()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('starts with the time as a ULID does, so ids made later sort after', () => {
    const zero = (bytes: Uint8Array) => bytes.fill(0);
    expect(createEventId(0, zero)).toBe('0'.repeat(26));
    expect(createEventId(1_700_000_000_000, zero) < createEventId(1_700_000_000_001, zero)).toBe(true);
    expect(createEventId(1_700_000_000_000, zero).slice(0, 10)).toBe('01HF7YAT00');
  });

  it('does not repeat across many calls in the same millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => createEventId(1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});
