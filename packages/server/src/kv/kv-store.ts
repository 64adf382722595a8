/** One stored key as listings and `kv.get` show it. */
export interface KvEntry {
  key: string;
  /** The value as JSON text, exactly as stored. */
  valueJson: string;
  /** When the key expires, ms since the epoch; null when it never does. */
  expiresAtMs: number | null;
  /** When the value was last written, ms since the epoch. */
  updatedAtMs: number;
}

/** A page of keys in key order. */
export interface KvPage {
  entries: KvEntry[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface KvListQuery {
  /** Only keys that start with it (compared byte for byte, case-sensitive). */
  prefix?: string;
  /** The `nextCursor` of the previous page: the last key it held. */
  cursor?: string;
  /** Keys per page, at least 1. */
  limit: number;
}

/** Keys and bytes held (values' JSON text, keys not counted), live keys only. */
export interface KvTotals {
  keys: number;
  bytes: number;
}

/**
 * A small persistent key-value store, one namespace per org. The org-less
 * namespace is the empty string `''`.
 *
 * Contract (run by `describeKvStoreContract` against every engine):
 * - `set` replaces the value and the expiry of a key; `expiresAtMs` null
 *   means forever.
 * - A key whose `expiresAtMs` is at or before `nowMs` does not exist for
 *   `get`, `list`, `delete` and `totals`, whether or not `sweep` removed it.
 * - `delete` answers true only when a live key was removed.
 * - `list` returns keys in ascending byte order, strictly after `cursor`,
 *   at most `limit`, and a `nextCursor` exactly when more keys may follow.
 * - Orgs never see each other's keys.
 * - `sweep` removes expired keys and answers how many.
 */
export interface KvStore {
  /** `sqlite:/path/herald.db`, `postgres://host/db (schema s)`. */
  readonly description: string;
  open(): Promise<void>;
  close(): Promise<void>;
  get(org: string, key: string, nowMs: number): Promise<KvEntry | undefined>;
  set(org: string, key: string, valueJson: string, expiresAtMs: number | null, nowMs: number): Promise<void>;
  delete(org: string, key: string, nowMs: number): Promise<boolean>;
  list(org: string, query: KvListQuery, nowMs: number): Promise<KvPage>;
  /** Totals over every org. */
  totals(nowMs: number): Promise<KvTotals>;
  sweep(nowMs: number): Promise<number>;
}
