import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signPayload, verifySignature } from './sign-payload.js';

describe('signPayload', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 in hex, as the docs tell receivers to check', () => {
    const expected = createHmac('sha256', 'whsec_test_secret_1').update('1764547200.{"a":1}').digest('hex');
    expect(signPayload('whsec_test_secret_1', '{"a":1}', 1764547200)).toBe(`t=1764547200,v1=${expected}`);
  });

  it('verifies what it signs, and nothing with another body, secret or a stale time', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 16 }), fc.string(), fc.string(), fc.integer({ min: 1_000_000_000, max: 4_000_000_000 }), (secret, body, other, t) => {
        const header = signPayload(secret, body, t);
        expect(verifySignature(secret, body, header, t)).toBe(true);
        if (other !== body) expect(verifySignature(secret, other, header, t)).toBe(false);
        expect(verifySignature(`${secret}x`, body, header, t)).toBe(false);
        expect(verifySignature(secret, body, header, t + 301)).toBe(false);
      }),
    );
  });
});
