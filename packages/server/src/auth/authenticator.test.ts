import { describe, expect, it } from 'vitest';
import { CachingAuthenticator, type AuthResult } from './authenticator.js';

function counting(results: Record<string, AuthResult>) {
  const calls: string[] = [];
  return {
    calls,
    authenticate: async (token: string) => {
      calls.push(token);
      return results[token] ?? { ok: false as const, code: 'unauthorized' as const, message: 'no' };
    },
  };
}

describe('CachingAuthenticator', () => {
  it('verifies an accepted token once within the cache time', async () => {
    const inner = counting({ good: { ok: true, identity: { id: 'a', kind: 'api_key', orgs: [], permissions: [] } } });
    const auth = new CachingAuthenticator(inner, () => 1_000);
    expect((await auth.authenticate('good')).ok).toBe(true);
    expect((await auth.authenticate('good')).ok).toBe(true);
    expect(inner.calls).toEqual(['good']);
  });

  it('does not remember refusals', async () => {
    const inner = counting({});
    const auth = new CachingAuthenticator(inner, () => 1_000);
    await auth.authenticate('bad');
    await auth.authenticate('bad');
    expect(inner.calls).toEqual(['bad', 'bad']);
  });

  it('verifies again once the cached identity expired', async () => {
    let now = 1_000;
    const inner = counting({ jwt: { ok: true, identity: { id: 'a', kind: 'jwt', orgs: [], permissions: [], expiresAtMs: 1_500 } } });
    const auth = new CachingAuthenticator(inner, () => now);
    await auth.authenticate('jwt');
    now = 1_400;
    await auth.authenticate('jwt');
    now = 1_600;
    await auth.authenticate('jwt');
    expect(inner.calls).toEqual(['jwt', 'jwt']);
  });
});
