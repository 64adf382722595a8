import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthResult, Authenticator } from './authenticator.js';
import type { Identity } from './identity.js';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** One API key, parsed from `name:key[:permission,…]`; the key itself is kept only as a hash. */
export interface ApiKeyEntry {
  name: string;
  keyHash: Buffer;
  permissions: string[];
}

/** Default permissions of an API key that names none: a publisher. */
export const DEFAULT_API_KEY_PERMISSIONS = ['publish:*'];

/** Parses `name:key[:permission,…]`; throws with the fix when malformed. */
export function parseApiKey(spec: string): ApiKeyEntry {
  const first = spec.indexOf(':');
  if (first <= 0) throw new Error(`API key "${spec.slice(0, 12)}…" must look like name:key or name:key:publish:*,history:*`);
  const name = spec.slice(0, first);
  const rest = spec.slice(first + 1);
  const second = rest.indexOf(':');
  const key = second === -1 ? rest : rest.slice(0, second);
  if (key.length < 16) throw new Error(`API key "${name}" is shorter than 16 characters; use a long random key`);
  const perms = second === -1 ? DEFAULT_API_KEY_PERMISSIONS : rest.slice(second + 1).split(',').map((p) => p.trim()).filter(Boolean);
  return { name, keyHash: sha256(key), permissions: perms };
}

/**
 * The admin token and API keys: opaque bearer tokens compared by hash in
 * constant time, never kept in clear beyond start-up.
 */
export class StaticTokenAuthenticator implements Authenticator {
  private readonly adminHash: Buffer;
  private readonly keys: ApiKeyEntry[];

  constructor(adminToken: string, apiKeys: readonly ApiKeyEntry[]) {
    this.adminHash = sha256(adminToken);
    this.keys = [...apiKeys];
  }

  async authenticate(token: string): Promise<AuthResult | undefined> {
    const hash = sha256(token);
    if (timingSafeEqual(hash, this.adminHash)) {
      const identity: Identity = { id: 'admin', kind: 'admin', orgs: [], permissions: ['admin'] };
      return { ok: true, identity };
    }
    for (const k of this.keys) {
      if (timingSafeEqual(hash, k.keyHash)) {
        return { ok: true, identity: { id: k.name, kind: 'api_key', orgs: [], permissions: k.permissions } };
      }
    }
    return undefined;
  }
}
