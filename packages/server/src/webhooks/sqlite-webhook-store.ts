import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { WebhookStatus } from '@herald/protocol';
import { HeraldError } from '../errors/herald-error.js';
import { type WebhookRow, definitionJson, rowToWebhook } from './webhook-row.js';
import type { DeliveryQuery, StoredWebhook, WebhookDefinition, WebhookDelivery, WebhookStore } from './webhook-store.js';

/**
 * Tables of their own in the event store's file: the event store owns
 * `PRAGMA user_version`, so this layout keeps its version in
 * `webhook_meta`.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS webhooks (
  id            TEXT PRIMARY KEY,
  definition    TEXT NOT NULL,
  status        TEXT NOT NULL,
  status_reason TEXT,
  cursor        INTEGER NOT NULL,
  created_at    TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  webhook_id    TEXT NOT NULL,
  event_seq     INTEGER NOT NULL,
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
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS webhook_deliveries_status ON webhook_deliveries (webhook_id, status, event_seq);
CREATE TABLE IF NOT EXISTS webhook_leases (
  webhook_id    TEXT PRIMARY KEY,
  holder        TEXT NOT NULL,
  expires_at_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO webhook_meta (key, value) VALUES ('schema_version', 1) ON CONFLICT (key) DO NOTHING;
`;

/**
 * Webhooks in SQLite, beside the event log in the same file (or in memory
 * for `sqlite::memory:`), for a single Herald node. Leases are kept in a
 * table as the contract asks; opening the file voids them, since the
 * process that opens it is the file's one node.
 * See {@link WebhookStore} for the contract.
 */
export class SqliteWebhookStore implements WebhookStore {
  readonly description: string;
  private db: Database.Database | undefined;

  constructor(private readonly options: { path: string; now?: () => number }) {
    this.description = `sqlite:${options.path}`;
  }

  private get now(): number {
    return this.options.now?.() ?? Date.now();
  }

  private get database(): Database.Database {
    if (!this.db) throw new HeraldError('store_unavailable', `the webhook store ${this.description} is not open`);
    return this.db;
  }

  async open(): Promise<void> {
    if (this.db) return;
    if (this.options.path !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(this.options.path)), { recursive: true });
    const db = new Database(this.options.path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      // One node per SQLite file: a process opening it is the only one delivering, so a killed
      // predecessor's leases are void rather than left to expire.
      db.exec('DELETE FROM webhook_leases');
    } catch (err) {
      db.close();
      throw err;
    }
    this.db = db;
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }

  async list(): Promise<StoredWebhook[]> {
    return (this.database.prepare('SELECT * FROM webhooks ORDER BY created_at, id').all() as WebhookRow[]).map(rowToWebhook);
  }

  async get(id: string): Promise<StoredWebhook | undefined> {
    const row = this.database.prepare('SELECT * FROM webhooks WHERE id = ?').get(id) as WebhookRow | undefined;
    return row && rowToWebhook(row);
  }

  async upsert(definition: WebhookDefinition, initialCursor: number): Promise<StoredWebhook> {
    this.database
      .prepare(
        `INSERT INTO webhooks (id, definition, status, cursor, created_at) VALUES (?, ?, 'active', ?, ?)
         ON CONFLICT (id) DO UPDATE SET definition = excluded.definition`,
      )
      .run(definition.id, definitionJson(definition), initialCursor, new Date(this.now).toISOString());
    return (await this.get(definition.id))!;
  }

  async remove(id: string): Promise<boolean> {
    const db = this.database;
    return db.transaction(() => {
      db.prepare('DELETE FROM webhook_deliveries WHERE webhook_id = ?').run(id);
      db.prepare('DELETE FROM webhook_leases WHERE webhook_id = ?').run(id);
      return db.prepare('DELETE FROM webhooks WHERE id = ?').run(id).changes > 0;
    })();
  }

  async setStatus(id: string, status: WebhookStatus, reason?: string): Promise<boolean> {
    return this.database.prepare('UPDATE webhooks SET status = ?, status_reason = ? WHERE id = ?').run(status, reason ?? null, id).changes > 0;
  }

  async advanceCursor(id: string, seq: number): Promise<void> {
    this.database.prepare('UPDATE webhooks SET cursor = max(cursor, ?) WHERE id = ?').run(seq, id);
  }

  async recordDelivery(d: WebhookDelivery, cursor?: number): Promise<void> {
    const db = this.database;
    db.transaction(() => {
      db.prepare(
        `INSERT INTO webhook_deliveries (webhook_id, event_seq, event_id, event_type, status, attempts, response_code, latency_ms, error, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (webhook_id, event_seq) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
           response_code = excluded.response_code, latency_ms = excluded.latency_ms, error = excluded.error, updated_at = excluded.updated_at`,
      ).run(d.webhook_id, d.event_seq, d.event_id, d.event_type, d.status, d.attempts, d.response_code, d.latency_ms, d.error, d.created_at, d.updated_at);
      if (cursor !== undefined) db.prepare('UPDATE webhooks SET cursor = max(cursor, ?) WHERE id = ?').run(cursor, d.webhook_id);
    })();
  }

  async getDelivery(webhookId: string, eventSeq: number): Promise<WebhookDelivery | undefined> {
    return this.database.prepare('SELECT * FROM webhook_deliveries WHERE webhook_id = ? AND event_seq = ?').get(webhookId, eventSeq) as
      | WebhookDelivery
      | undefined;
  }

  async deliveries(webhookId: string, query: DeliveryQuery): Promise<WebhookDelivery[]> {
    const where = ['webhook_id = ?'];
    const params: unknown[] = [webhookId];
    if (query.status !== undefined) {
      where.push('status = ?');
      params.push(query.status);
    }
    if (query.beforeSeq !== undefined) {
      where.push('event_seq < ?');
      params.push(query.beforeSeq);
    }
    params.push(query.limit);
    return this.database.prepare(`SELECT * FROM webhook_deliveries WHERE ${where.join(' AND ')} ORDER BY event_seq DESC LIMIT ?`).all(...params) as WebhookDelivery[];
  }

  async pruneDelivered(webhookId: string, keep: number): Promise<number> {
    return this.database
      .prepare(
        `DELETE FROM webhook_deliveries WHERE webhook_id = ? AND status = 'delivered' AND event_seq < coalesce((
           SELECT event_seq FROM webhook_deliveries WHERE webhook_id = ? AND status = 'delivered' ORDER BY event_seq DESC LIMIT 1 OFFSET ?), -1)`,
      )
      .run(webhookId, webhookId, Math.max(0, keep - 1)).changes;
  }

  async acquireLease(webhookId: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.now;
    const row = this.database
      .prepare(
        `INSERT INTO webhook_leases (webhook_id, holder, expires_at_ms) VALUES (?, ?, ?)
         ON CONFLICT (webhook_id) DO UPDATE SET holder = excluded.holder, expires_at_ms = excluded.expires_at_ms
         WHERE webhook_leases.holder = excluded.holder OR webhook_leases.expires_at_ms <= ?
         RETURNING holder`,
      )
      .get(webhookId, holder, now + ttlMs, now) as { holder: string } | undefined;
    return row?.holder === holder;
  }

  async releaseLease(webhookId: string, holder: string): Promise<void> {
    this.database.prepare('DELETE FROM webhook_leases WHERE webhook_id = ? AND holder = ?').run(webhookId, holder);
  }
}
