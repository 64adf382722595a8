import pg from 'pg';
import { DEFAULT_POSTGRES_SCHEMA, createTablesLocked, quoteSchemaName, splitSchemaParam } from '../store/postgres-schema.js';
import type { KvEntry, KvListQuery, KvPage, KvStore, KvTotals } from './kv-store.js';

export interface PostgresKvStoreOptions {
  /** `postgres://user@host/db`, with an optional `schema` parameter (as the event store's). */
  connectionString: string;
  /** Schema of the table, created when missing; default the URL's `schema`, else `herald`. */
  schema?: string;
  /** Connections at most; KV traffic is light, default 4. */
  poolSize?: number;
  logger?: { warn(obj: object, msg: string): void };
}

interface Row {
  key: string;
  value: string;
  expires_at_ms: string | null;
  updated_at_ms: string;
}

const toEntry = (r: Row): KvEntry => ({
  key: r.key,
  valueJson: r.value,
  expiresAtMs: r.expires_at_ms === null ? null : Number(r.expires_at_ms),
  updatedAtMs: Number(r.updated_at_ms),
});

/**
 * KV on PostgreSQL, in the event store's schema. Keys are `COLLATE "C"` so
 * listing order and cursors are byte order whatever the database's locale.
 */
export class PostgresKvStore implements KvStore {
  readonly description: string;
  private pool: pg.Pool | undefined;
  private readonly url: string;
  /** The table, schema-qualified and quoted. */
  private readonly t: string;
  private readonly schemaName: string;

  constructor(private readonly options: PostgresKvStoreOptions) {
    const { url, schema } = splitSchemaParam(options.connectionString);
    this.url = url;
    const name = options.schema ?? schema ?? DEFAULT_POSTGRES_SCHEMA;
    this.schemaName = name;
    this.t = `${quoteSchemaName(name)}.kv`;
    this.description = `postgres (schema ${name}, table kv)`;
  }

  async open(): Promise<void> {
    if (this.pool) return;
    const pool = new pg.Pool({
      connectionString: this.url,
      max: this.options.poolSize ?? 4,
      connectionTimeoutMillis: 10_000,
      application_name: 'herald-kv',
    });
    pool.on('error', (err) =>
      this.options.logger?.warn({ err }, 'an idle PostgreSQL connection of the KV store failed; the pool replaces it'),
    );
    const schema = this.t.slice(0, this.t.lastIndexOf('.'));
    try {
      // Nodes (and the other stores) may start together on a fresh database: one lock per schema for all of them.
      await createTablesLocked(
        pool,
        this.schemaName,
        `CREATE SCHEMA IF NOT EXISTS ${schema};
        CREATE TABLE IF NOT EXISTS ${this.t} (
          org           text   NOT NULL,
          key           text   COLLATE "C" NOT NULL,
          value         text   NOT NULL,
          expires_at_ms bigint,
          updated_at_ms bigint NOT NULL,
          PRIMARY KEY (org, key));
        CREATE INDEX IF NOT EXISTS kv_expiry ON ${this.t} (expires_at_ms) WHERE expires_at_ms IS NOT NULL;`,
      );
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    this.pool = pool;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  private get db(): pg.Pool {
    if (!this.pool) throw new Error('the KV store is not open');
    return this.pool;
  }

  async get(org: string, key: string, nowMs: number): Promise<KvEntry | undefined> {
    const r = await this.db.query<Row>(
      `SELECT key, value, expires_at_ms, updated_at_ms FROM ${this.t} WHERE org = $1 AND key = $2 AND (expires_at_ms IS NULL OR expires_at_ms > $3)`,
      [org, key, nowMs],
    );
    return r.rows[0] && toEntry(r.rows[0]);
  }

  async set(org: string, key: string, valueJson: string, expiresAtMs: number | null, nowMs: number): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.t} (org, key, value, expires_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org, key) DO UPDATE SET value = excluded.value, expires_at_ms = excluded.expires_at_ms, updated_at_ms = excluded.updated_at_ms`,
      [org, key, valueJson, expiresAtMs, nowMs],
    );
  }

  async delete(org: string, key: string, nowMs: number): Promise<boolean> {
    // One statement: the row goes either way; it counts as deleted only if it was live.
    const r = await this.db.query<{ live: boolean }>(
      `DELETE FROM ${this.t} WHERE org = $1 AND key = $2 RETURNING (expires_at_ms IS NULL OR expires_at_ms > $3) AS live`,
      [org, key, nowMs],
    );
    return r.rows[0]?.live === true;
  }

  async list(org: string, query: KvListQuery, nowMs: number): Promise<KvPage> {
    const prefix = query.prefix ?? '';
    const r = await this.db.query<Row>(
      `SELECT key, value, expires_at_ms, updated_at_ms FROM ${this.t}
       WHERE org = $1 AND key > $2 AND key >= $3 AND left(key, length($3)) = $3 AND (expires_at_ms IS NULL OR expires_at_ms > $4)
       ORDER BY key LIMIT $5`,
      [org, query.cursor ?? '', prefix, nowMs, query.limit + 1],
    );
    const hasMore = r.rows.length > query.limit;
    const entries = r.rows.slice(0, query.limit).map(toEntry);
    return { entries, nextCursor: hasMore ? entries[entries.length - 1]!.key : null };
  }

  async totals(nowMs: number): Promise<KvTotals> {
    const r = await this.db.query<{ keys: string; bytes: string }>(
      `SELECT count(*) AS keys, coalesce(sum(octet_length(value)), 0) AS bytes FROM ${this.t} WHERE expires_at_ms IS NULL OR expires_at_ms > $1`,
      [nowMs],
    );
    return { keys: Number(r.rows[0]!.keys), bytes: Number(r.rows[0]!.bytes) };
  }

  async sweep(nowMs: number): Promise<number> {
    const r = await this.db.query(`DELETE FROM ${this.t} WHERE expires_at_ms IS NOT NULL AND expires_at_ms <= $1`, [nowMs]);
    return r.rowCount ?? 0;
  }
}
