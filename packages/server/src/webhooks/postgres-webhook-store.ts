import pg from 'pg';
import type { WebhookStatus } from '@herald/protocol';
import { HeraldError } from '../errors/herald-error.js';
import { DEFAULT_POSTGRES_SCHEMA, createTablesLocked, quoteSchemaName, splitSchemaParam } from '../store/postgres-schema.js';
import { definitionJson, rowToWebhook } from './webhook-row.js';
import type { DeliveryQuery, StoredWebhook, WebhookDefinition, WebhookDelivery, WebhookStore } from './webhook-store.js';

export interface PostgresWebhookStoreOptions {
  /** As the event store's: a `schema` query parameter names the schema when `schema` is not given. */
  connectionString: string;
  schema?: string;
  /** Most pooled connections; default 3 (webhook traffic is a trickle beside the event log's). */
  poolSize?: number;
  logger?: { warn(obj: object, msg: string): void };
}

function schemaSql(s: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.webhooks (
  id            TEXT PRIMARY KEY,
  definition    TEXT NOT NULL,
  status        TEXT NOT NULL,
  status_reason TEXT,
  cursor        BIGINT NOT NULL,
  created_at    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ${s}.webhook_deliveries (
  webhook_id    TEXT NOT NULL,
  event_seq     BIGINT NOT NULL,
  event_id      TEXT NOT NULL,
  event_type    TEXT NOT NULL,
  status        TEXT NOT NULL,
  attempts      INTEGER NOT NULL,
  response_code INTEGER,
  latency_ms    INTEGER,
  error         TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  PRIMARY KEY (webhook_id, event_seq)
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_status ON ${s}.webhook_deliveries (webhook_id, status, event_seq);
-- One row per webhook: which node delivers it, until when (the database's clock, so nodes' clocks may differ).
CREATE TABLE IF NOT EXISTS ${s}.webhook_leases (
  webhook_id TEXT PRIMARY KEY,
  holder     TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
`;
}

const DELIVERY_COLUMNS = `webhook_id, event_seq::float8 AS event_seq, event_id, event_type, status, attempts, response_code, latency_ms, error, created_at, updated_at`;

/**
 * Webhooks in PostgreSQL, in the event store's schema, for one node or
 * several. The lease row is what keeps two nodes from delivering the same
 * webhook: a node delivers only while its lease is unexpired, and renews it
 * before every attempt. See {@link WebhookStore} for the contract.
 */
export class PostgresWebhookStore implements WebhookStore {
  readonly description: string;
  private pgPool: pg.Pool | undefined;
  private readonly connectionString: string;
  private readonly schemaName: string;
  private readonly s: string;

  constructor(private readonly options: PostgresWebhookStoreOptions) {
    const { url, schema } = splitSchemaParam(options.connectionString);
    this.connectionString = url;
    this.schemaName = options.schema ?? schema ?? DEFAULT_POSTGRES_SCHEMA;
    this.s = quoteSchemaName(this.schemaName);
    this.description = `postgres (schema ${this.schemaName})`;
  }

  private get pool(): pg.Pool {
    if (!this.pgPool) throw new HeraldError('store_unavailable', `the webhook store ${this.description} is not open`);
    return this.pgPool;
  }

  async open(): Promise<void> {
    if (this.pgPool) return;
    const pool = new pg.Pool({
      connectionString: this.connectionString,
      max: this.options.poolSize ?? 3,
      connectionTimeoutMillis: 10_000,
      application_name: 'herald-webhooks',
    });
    pool.on('error', (err) => this.options.logger?.warn({ err }, 'an idle PostgreSQL connection failed; the pool replaces it'));
    try {
      // Nodes (and the other stores) may start together on a fresh database: one lock per schema for all of them.
      await createTablesLocked(pool, this.schemaName, schemaSql(this.s));
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    this.pgPool = pool;
  }

  async close(): Promise<void> {
    const pool = this.pgPool;
    this.pgPool = undefined;
    await pool?.end();
  }

  async list(): Promise<StoredWebhook[]> {
    const { rows } = await this.pool.query(
      `SELECT id, definition, status, status_reason, cursor::float8 AS cursor, created_at FROM ${this.s}.webhooks ORDER BY created_at, id`,
    );
    return rows.map(rowToWebhook);
  }

  async get(id: string): Promise<StoredWebhook | undefined> {
    const { rows } = await this.pool.query(
      `SELECT id, definition, status, status_reason, cursor::float8 AS cursor, created_at FROM ${this.s}.webhooks WHERE id = $1`,
      [id],
    );
    return rows[0] && rowToWebhook(rows[0]);
  }

  async upsert(definition: WebhookDefinition, initialCursor: number): Promise<StoredWebhook> {
    await this.pool.query(
      `INSERT INTO ${this.s}.webhooks (id, definition, status, cursor, created_at) VALUES ($1, $2, 'active', $3, $4)
       ON CONFLICT (id) DO UPDATE SET definition = excluded.definition`,
      [definition.id, definitionJson(definition), initialCursor, new Date().toISOString()],
    );
    return (await this.get(definition.id))!;
  }

  async remove(id: string): Promise<boolean> {
    const { rows } = await this.pool.query(
      `WITH d AS (DELETE FROM ${this.s}.webhook_deliveries WHERE webhook_id = $1),
            l AS (DELETE FROM ${this.s}.webhook_leases WHERE webhook_id = $1)
       DELETE FROM ${this.s}.webhooks WHERE id = $1 RETURNING id`,
      [id],
    );
    return rows.length > 0;
  }

  async setStatus(id: string, status: WebhookStatus, reason?: string): Promise<boolean> {
    const r = await this.pool.query(`UPDATE ${this.s}.webhooks SET status = $2, status_reason = $3 WHERE id = $1`, [
      id,
      status,
      reason ?? null,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async advanceCursor(id: string, seq: number): Promise<void> {
    await this.pool.query(`UPDATE ${this.s}.webhooks SET cursor = GREATEST(cursor, $2) WHERE id = $1`, [id, seq]);
  }

  async recordDelivery(d: WebhookDelivery, cursor?: number): Promise<void> {
    // One statement, so the row and the cursor commit together.
    await this.pool.query(
      `WITH up AS (
         INSERT INTO ${this.s}.webhook_deliveries (webhook_id, event_seq, event_id, event_type, status, attempts, response_code, latency_ms, error, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (webhook_id, event_seq) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
           response_code = excluded.response_code, latency_ms = excluded.latency_ms, error = excluded.error, updated_at = excluded.updated_at)
       UPDATE ${this.s}.webhooks SET cursor = GREATEST(cursor, $12::bigint) WHERE id = $1 AND $12::bigint IS NOT NULL`,
      [
        d.webhook_id,
        d.event_seq,
        d.event_id,
        d.event_type,
        d.status,
        d.attempts,
        d.response_code,
        d.latency_ms,
        d.error,
        d.created_at,
        d.updated_at,
        cursor ?? null,
      ],
    );
  }

  async getDelivery(webhookId: string, eventSeq: number): Promise<WebhookDelivery | undefined> {
    const { rows } = await this.pool.query(
      `SELECT ${DELIVERY_COLUMNS} FROM ${this.s}.webhook_deliveries WHERE webhook_id = $1 AND event_seq = $2`,
      [webhookId, eventSeq],
    );
    return rows[0] as WebhookDelivery | undefined;
  }

  async deliveries(webhookId: string, query: DeliveryQuery): Promise<WebhookDelivery[]> {
    const { rows } = await this.pool.query(
      `SELECT ${DELIVERY_COLUMNS} FROM ${this.s}.webhook_deliveries
       WHERE webhook_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::bigint IS NULL OR event_seq < $3)
       ORDER BY event_seq DESC LIMIT $4`,
      [webhookId, query.status ?? null, query.beforeSeq ?? null, query.limit],
    );
    return rows as WebhookDelivery[];
  }

  async pruneDelivered(webhookId: string, keep: number): Promise<number> {
    const r = await this.pool.query(
      `DELETE FROM ${this.s}.webhook_deliveries WHERE webhook_id = $1 AND status = 'delivered' AND event_seq < COALESCE((
         SELECT event_seq FROM ${this.s}.webhook_deliveries WHERE webhook_id = $1 AND status = 'delivered' ORDER BY event_seq DESC LIMIT 1 OFFSET $2), -1)`,
      [webhookId, Math.max(0, keep - 1)],
    );
    return r.rowCount ?? 0;
  }

  async acquireLease(webhookId: string, holder: string, ttlMs: number): Promise<boolean> {
    const { rows } = await this.pool.query<{ holder: string }>(
      `INSERT INTO ${this.s}.webhook_leases (webhook_id, holder, expires_at) VALUES ($1, $2, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (webhook_id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
       WHERE ${this.s}.webhook_leases.holder = excluded.holder OR ${this.s}.webhook_leases.expires_at <= clock_timestamp()
       RETURNING holder`,
      [webhookId, holder, ttlMs],
    );
    return rows[0]?.holder === holder;
  }

  async releaseLease(webhookId: string, holder: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.s}.webhook_leases WHERE webhook_id = $1 AND holder = $2`, [webhookId, holder]);
  }
}
