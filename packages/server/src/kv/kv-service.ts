import { KV_KEY_PATTERN, KV_MAX_VALUE_BYTES, type KvItem } from '@herald/protocol';
import { HeraldError } from '../errors/herald-error.js';
import type { KvEntry, KvStore } from './kv-store.js';

/** Largest value, as JSON text, bytes: 64 KiB whatever `limits.maxPayloadBytes` is. Keys: 1-256 letters, digits and `_ . : / -`. */
export { KV_MAX_VALUE_BYTES, KV_KEY_PATTERN };
/** Keys per `list` page when the caller names no limit, and at most. */
export const KV_DEFAULT_PAGE_KEYS = 100;
export const KV_MAX_PAGE_KEYS = 1000;

export type { KvItem };

export interface KvServiceDeps {
  store: KvStore;
  /** Publishes `kv.updated`; fire and forget (the write is already committed). */
  onChange(org: string | undefined, data: { key: string; op: 'set' | 'delete' }): void;
  now?: () => number;
}

/**
 * The KV rules over a store: key and value checks, TTLs, one namespace per
 * org (org-less callers such as the admin token share `''`), `kv.updated`
 * after every change.
 */
export class KvService {
  private readonly now: () => number;
  constructor(private readonly deps: KvServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  async get(org: string | undefined, key: string): Promise<KvItem> {
    checkKey(key);
    const entry = await this.deps.store.get(org ?? '', key, this.now());
    if (!entry) throw notFound(key);
    return this.toItem(entry);
  }

  /** Stores `value` (any JSON value) for `ttlS` seconds, or forever when undefined. */
  async set(org: string | undefined, key: string, value: unknown, ttlS?: number): Promise<KvItem> {
    checkKey(key);
    if (value === undefined)
      throw new HeraldError('invalid_params', 'value is required: any JSON value (use kv.delete to remove a key)', {
        path: 'params.value',
      });
    const json = JSON.stringify(value);
    const size = Buffer.byteLength(json);
    if (size > KV_MAX_VALUE_BYTES) {
      throw new HeraldError(
        'payload_too_large',
        `the value of "${key}" is ${size} bytes as JSON; a KV value may hold at most ${KV_MAX_VALUE_BYTES} bytes (64 KiB)`,
        {
          path: 'params.value',
          size_bytes: size,
          max_bytes: KV_MAX_VALUE_BYTES,
        },
      );
    }
    const now = this.now();
    const expiresAtMs = ttlS === undefined ? null : now + Math.round(ttlS * 1000);
    await this.deps.store.set(org ?? '', key, json, expiresAtMs, now);
    this.deps.onChange(org, { key, op: 'set' });
    return this.toItem({ key, valueJson: json, expiresAtMs, updatedAtMs: now });
  }

  async delete(org: string | undefined, key: string): Promise<{ key: string; deleted: true }> {
    checkKey(key);
    if (!(await this.deps.store.delete(org ?? '', key, this.now()))) throw notFound(key);
    this.deps.onChange(org, { key, op: 'delete' });
    return { key, deleted: true };
  }

  async list(
    org: string | undefined,
    query: { prefix?: string; cursor?: string; limit?: number },
  ): Promise<{ keys: KvItem[]; next_cursor: string | null }> {
    const limit = query.limit ?? KV_DEFAULT_PAGE_KEYS;
    const page = await this.deps.store.list(org ?? '', { ...query, limit }, this.now());
    return { keys: page.entries.map((e) => this.toItem(e)), next_cursor: page.nextCursor };
  }

  /** The `kv` metrics section (`{totalKeys, totalSize}`): live keys and their values' size in KB (two decimals). */
  async metricsSection(): Promise<{ totalKeys: number; totalSize: number }> {
    const t = await this.deps.store.totals(this.now());
    return { totalKeys: t.keys, totalSize: Math.round((t.bytes / 1024) * 100) / 100 };
  }

  /** Removes expired keys; the number removed. */
  sweep(): Promise<number> {
    return this.deps.store.sweep(this.now());
  }

  private toItem(e: KvEntry): KvItem {
    const now = this.now();
    return {
      key: e.key,
      value: JSON.parse(e.valueJson) as unknown,
      expires_at: e.expiresAtMs === null ? null : new Date(e.expiresAtMs).toISOString(),
      ttl_s: e.expiresAtMs === null ? null : Math.max(0, Math.ceil((e.expiresAtMs - now) / 1000)),
      updated_at: new Date(e.updatedAtMs).toISOString(),
      size_bytes: Buffer.byteLength(e.valueJson),
    };
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || !KV_KEY_PATTERN.test(key)) {
    throw new HeraldError(
      'invalid_params',
      `key ${JSON.stringify(String(key).slice(0, 40))} is not a KV key: use 1 to 256 letters, digits or _ . : / -`,
      { path: 'params.key' },
    );
  }
}

function notFound(key: string): HeraldError {
  return new HeraldError('not_found', `no key "${key}" (it never existed, was deleted or expired)`, { path: 'params.key', key });
}
