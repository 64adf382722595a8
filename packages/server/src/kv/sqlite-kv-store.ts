import Database from 'better-sqlite3';
import type { KvEntry, KvListQuery, KvPage, KvStore, KvTotals } from './kv-store.js';

/**
 * The table lives in the event store's SQLite file (its own connection: WAL
 * lets both read while one writes, and every write here is one statement).
 * `WITHOUT ROWID` keeps each org's keys together in key order, so a
 * listing is one range scan.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  org           TEXT    NOT NULL,
  key           TEXT    NOT NULL,
  value         TEXT    NOT NULL,
  expires_at_ms INTEGER,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (org, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS kv_expiry ON kv (expires_at_ms) WHERE expires_at_ms IS NOT NULL;
`;

interface Row {
  key: string;
  value: string;
  expires_at_ms: number | null;
  updated_at_ms: number;
}

const toEntry = (r: Row): KvEntry => ({ key: r.key, valueJson: r.value, expiresAtMs: r.expires_at_ms, updatedAtMs: r.updated_at_ms });
const LIVE = '(expires_at_ms IS NULL OR expires_at_ms > @now)';

/** KV on SQLite (`sqlite:<path>` stores, and `:memory:`). */
export class SqliteKvStore implements KvStore {
  readonly description: string;
  private db: Database.Database | undefined;

  constructor(private readonly options: { path: string }) {
    this.description = `sqlite:${options.path}`;
  }

  async open(): Promise<void> {
    if (this.db) return;
    const db = new Database(this.options.path);
    if (this.options.path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(SCHEMA);
    this.db = db;
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }

  private get conn(): Database.Database {
    if (!this.db) throw new Error('the KV store is not open');
    return this.db;
  }

  async get(org: string, key: string, nowMs: number): Promise<KvEntry | undefined> {
    const row = this.conn
      .prepare(`SELECT key, value, expires_at_ms, updated_at_ms FROM kv WHERE org = @org AND key = @key AND ${LIVE}`)
      .get({ org, key, now: nowMs }) as Row | undefined;
    return row && toEntry(row);
  }

  async set(org: string, key: string, valueJson: string, expiresAtMs: number | null, nowMs: number): Promise<void> {
    this.conn
      .prepare(
        `INSERT INTO kv (org, key, value, expires_at_ms, updated_at_ms) VALUES (@org, @key, @value, @exp, @now)
         ON CONFLICT (org, key) DO UPDATE SET value = excluded.value, expires_at_ms = excluded.expires_at_ms, updated_at_ms = excluded.updated_at_ms`,
      )
      .run({ org, key, value: valueJson, exp: expiresAtMs, now: nowMs });
  }

  async delete(org: string, key: string, nowMs: number): Promise<boolean> {
    const db = this.conn;
    // An expired key is gone already: removing it is not a delete the caller made.
    return db.transaction(() => {
      const live = db.prepare(`DELETE FROM kv WHERE org = @org AND key = @key AND ${LIVE}`).run({ org, key, now: nowMs }).changes > 0;
      if (!live) db.prepare('DELETE FROM kv WHERE org = ? AND key = ?').run(org, key);
      return live;
    })();
  }

  async list(org: string, query: KvListQuery, nowMs: number): Promise<KvPage> {
    const rows = this.conn
      .prepare(
        `SELECT key, value, expires_at_ms, updated_at_ms FROM kv
         WHERE org = @org AND key > @after AND key >= @prefix AND substr(key, 1, length(@prefix)) = @prefix AND ${LIVE}
         ORDER BY key LIMIT @limit`,
      )
      .all({ org, after: query.cursor ?? '', prefix: query.prefix ?? '', now: nowMs, limit: query.limit + 1 }) as Row[];
    const hasMore = rows.length > query.limit;
    const entries = rows.slice(0, query.limit).map(toEntry);
    return { entries, nextCursor: hasMore ? entries[entries.length - 1]!.key : null };
  }

  async totals(nowMs: number): Promise<KvTotals> {
    const row = this.conn
      .prepare(`SELECT count(*) AS keys, coalesce(sum(length(CAST(value AS BLOB))), 0) AS bytes FROM kv WHERE ${LIVE}`)
      .get({ now: nowMs }) as {
      keys: number;
      bytes: number;
    };
    return { keys: row.keys, bytes: row.bytes };
  }

  async sweep(nowMs: number): Promise<number> {
    return this.conn.prepare('DELETE FROM kv WHERE expires_at_ms IS NOT NULL AND expires_at_ms <= ?').run(nowMs).changes;
  }
}
