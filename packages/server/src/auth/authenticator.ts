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
