import { describe, expect, it } from 'vitest';
import { checkKvDraft, describeTtl } from './kv-draft';

describe('checkKvDraft', () => {
  it('accepts any JSON value with an optional TTL in seconds', () => {
    expect(checkKvDraft({ key: 'cart:42', value: '{"items": [1, 2]}', ttl: '60' })).toEqual({
      ok: true,
      key: 'cart:42',
      value: { items: [1, 2] },
      ttlS: 60,
    });
    expect(checkKvDraft({ key: 'flag', value: 'true', ttl: '' })).toEqual({ ok: true, key: 'flag', value: true, ttlS: undefined });
  });

  it('refuses invalid JSON, a bad key, a bad TTL and a value over 64 KiB, field by field', () => {
    const bad = checkKvDraft({ key: 'has space', value: '{"a": }', ttl: '-5' });
    expect(bad.ok).toBe(false);
    expect(bad).toMatchObject({
      key: expect.stringContaining('letters, digits'),
      value: expect.stringMatching(/^Not valid JSON/),
      ttl: expect.stringContaining('greater than 0'),
    });
    expect(checkKvDraft({ key: 'big', value: JSON.stringify('x'.repeat(70_000)), ttl: '' })).toMatchObject({
      ok: false,
      value: expect.stringContaining('64 KiB'),
    });
  });
});

describe('describeTtl', () => {
  it('says how long is left in the largest fitting unit', () => {
    expect([null, 45, 600, 7200, 172_800].map(describeTtl)).toEqual(['never', '45 s', '10 min', '2 h', '2 d']);
  });
});
