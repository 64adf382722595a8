import type { Identity } from './identity.js';

export type AuthResult =
  | { ok: true; identity: Identity }
  | { ok: false; code: 'unauthorized' | 'token_expired'; message: string };

/**
 * Turns a bearer token into an identity. Implementations are tried in order
 * by a chain; `undefined` means "not mine, ask the next one".
 */
export interface Authenticator {
  authenticate(token: string): Promise<AuthResult | undefined>;
}

/** Tries each authenticator in order; the first that claims the token decides. */
export class AuthenticatorChain implements Authenticator {
  constructor(private readonly members: readonly Authenticator[]) {}

  async authenticate(token: string): Promise<AuthResult> {
    for (const m of this.members) {
      const r = await m.authenticate(token);
      if (r) return r;
    }
    return { ok: false, code: 'unauthorized', message: 'the token is not a valid admin token, API key or JWT' };
  }
}

/** Tokens remembered at most, and for how long, ms. */
const CACHE_ENTRIES = 10_000;
const CACHE_TTL_MS = 30_000;

/**
 * Remembers accepted tokens for a short while, so an HTTP publisher sending
 * thousands of requests a second pays for hashing or JWT verification once.
 * Refusals are not remembered, and a cached identity past its own expiry is
 * checked again.
 */
export class CachingAuthenticator {
  private readonly cache = new Map<string, { identity: AuthResult & { ok: true }; untilMs: number }>();

  constructor(
    private readonly inner: { authenticate(token: string): Promise<AuthResult> },
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(token: string): Promise<AuthResult> {
    const t = this.now();
    const hit = this.cache.get(token);
    if (hit !== undefined && hit.untilMs > t) return hit.identity;
    const r = await this.inner.authenticate(token);
    if (r.ok) {
      if (this.cache.size >= CACHE_ENTRIES) this.cache.clear();
      const expires = r.identity.expiresAtMs ?? Number.POSITIVE_INFINITY;
      this.cache.set(token, { identity: r, untilMs: Math.min(t + CACHE_TTL_MS, expires) });
    } else {
      this.cache.delete(token);
    }
    return r;
  }
}
