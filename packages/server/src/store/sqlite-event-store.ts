import fs from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { HeraldEvent, HistoryPage, HistoryQuery } from '@herald/protocol';
import { HeraldError } from '../errors/herald-error.js';
import type { EventStats, EventStore, RetentionPolicy, StatsQuery } from './event-store.js';
import { GroupCommit } from './group-commit.js';
import { readStats } from './sqlite-event-stats.js';
import { decodeCursor, encodeCursor } from './history-cursor.js';
import { planHistory } from './sqlite-history-query.js';
import { configureConnection, migrate } from './sqlite-schema.js';
import { SqliteTextIndex } from './sqlite-text-index.js';

export interface SqliteEventStoreOptions {
  /** Database file, or `:memory:` for a store that lives as long as the process. */
  path: string;
  /** `full` fsyncs every commit; `normal` (default) survives a process crash but may lose the last commits on power loss. */
  synchronous?: 'normal' | 'full';
  /** Rows a history page may scan when a predicate or inexact type pattern filters in JS; default 50,000. */
  historyScanLimit?: number;
  logger?: { warn(obj: object, msg: string): void };
  /** Fill the text-search index in the background (default); off, only `catchUpTextIndex` fills it (tests). */
  isTextIndexedInBackground?: boolean;
}

/** Rows per retention `DELETE`, so no single statement holds the event loop for long. */
const RETENTION_BATCH_ROWS = 10_000;
/** Rows per history scan step when filtering in JS; the event loop gets a turn between steps. */
const HISTORY_SCAN_CHUNK_ROWS = 5_000;
/** Ids per `findSeqs` lookup. */
const FIND_CHUNK_IDS = 500;
/** Distinct dynamic statements kept prepared (history and stats shapes). */
const MAX_CACHED_STATEMENTS = 256;

/** An event turned into insert parameters, in column order. */
type EventRow = [number, string, string, string, string, string, number, string, string, string | null, string | null, string];

const INSERT_SQL = `INSERT INTO events (seq, id, type, category, source, time, time_ms, severity, priority, correlation_id, org, json)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`;

const UPDATE_LAST_SEQ_SQL = `INSERT INTO meta (key, value) VALUES ('last_seq', ?)
  ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)`;

function isConstraintError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

function toRow(event: HeraldEvent, json?: string): EventRow {
  const timeMs = Date.parse(event.time);
  if (Number.isNaN(timeMs)) {
    throw new HeraldError('invalid_event', `event ${event.id}: time "${String(event.time).slice(0, 40)}" is not an ISO 8601 time`, {
      path: 'time',
    });
  }
  return [
    event.seq,
    event.id,
    event.type,
    event.category,
    event.source,
    event.time,
    timeMs,
    event.severity,
    event.priority,
    event.correlation_id ?? null,
    event.org ?? null,
    json ?? JSON.stringify(event),
  ];
}

type SqlParam = string | number | bigint | null;

/**
 * A history page for a text search: the rows newer than the text index's
 * reach by scanning, then older ones through the trigram index, newest
 * first. Every row still passes `where` (with its LIKE), which the index only
 * narrows. Parameters: reach, where's, limit, match, reach, where's, limit, limit.
 */
function textSearchSql(where: string): string {
  const scanned = `SELECT seq FROM events WHERE seq > ? AND ${where} ORDER BY seq DESC LIMIT ?`;
  const indexed = `SELECT seq FROM events_text JOIN events ON seq = events_text.rowid
    WHERE events_text MATCH ? AND events_text.rowid <= ? AND ${where} ORDER BY events_text.rowid DESC LIMIT ?`;
  return `SELECT seq, type, json FROM events WHERE seq IN (SELECT seq FROM (${scanned}) UNION ALL SELECT seq FROM (${indexed}))
    ORDER BY seq DESC LIMIT ?`;
}

/** Wraps a SQLite failure as the request error its callers see, keeping the original as `cause`. */
function storeError(err: unknown): HeraldError {
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  const wrapped = isConstraintError(err)
    ? new HeraldError('internal_error', `the events conflict with stored ones (${message})`, { sqlite: code })
    : new HeraldError('store_unavailable', `the event store could not commit: ${message}`, { sqlite: code });
  wrapped.cause = err;
  return wrapped;
}

/**
 * The event log in one SQLite file (WAL mode), for a single Herald node.
 * Appends are group-committed: every `append` queued in the same event-loop
 * turn shares one transaction. See {@link EventStore} for the contract.
 *
 * @example
 * const store = new SqliteEventStore({ path: './data/herald.db' });
 * await store.open();
 * await store.append([event]); // durable here
 */
export class SqliteEventStore implements EventStore {
  readonly description: string;
  /** Diagnostic: transactions committed by `append` since `open`. */
  commits = 0;

  private db: Database.Database | undefined;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly group = new GroupCommit<EventRow[]>((calls) => this.writeCalls(calls));
  private highestSeq = 0;
  private isClosing = false;
  private closing: Promise<void> | undefined;
  private hasFailedCommit = false;
  private readonly historyScanLimit: number;
  private textIndex: SqliteTextIndex | undefined;

  constructor(private readonly options: SqliteEventStoreOptions) {
    this.description = `sqlite:${options.path}`;
    this.historyScanLimit = Math.max(1, options.historyScanLimit ?? 50_000);
  }

  async open(): Promise<void> {
    if (this.db) return;
    if (this.options.path !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(this.options.path)), { recursive: true });
    const db = new Database(this.options.path);
    try {
      configureConnection(db, this.options.synchronous ?? 'normal');
      migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    this.db = db;
    this.isClosing = false;
    const row = this.prepare(
      `SELECT max(coalesce((SELECT value FROM meta WHERE key = 'last_seq'), 0), coalesce((SELECT max(seq) FROM events), 0)) AS seq`,
    ).get() as { seq: number };
    this.highestSeq = row.seq;
    this.textIndex = new SqliteTextIndex(db);
    if (this.options.isTextIndexedInBackground !== false) this.textIndex.start((err) => this.options.logger?.warn({ err }, 'text index: a slice failed; it is retried'));
  }

  /**
   * Indexes for text search every event stored so far, which the background
   * indexer would reach soon; returns how many. For tests and tools.
   */
  catchUpTextIndex(): number {
    return this.textIndex?.catchUp() ?? 0;
  }

  textIndexLagEvents(): number {
    return Math.max(0, this.highestSeq - (this.textIndex?.indexedThroughSeq ?? this.highestSeq));
  }

  /** The open connection, for subclasses that need pragmas of their own. */
  protected get database(): Database.Database {
    if (!this.db) throw new HeraldError('store_unavailable', `the event store ${this.description} is not open`);
    return this.db;
  }

  async lastSeq(): Promise<number> {
    if (!this.db) throw new HeraldError('store_unavailable', `the event store ${this.description} is not open`);
    return this.highestSeq;
  }

  async earliestSeq(): Promise<number> {
    const row = this.prepare('SELECT min(seq) AS seq FROM events').get() as {
      seq: number | null;
    };
    return row.seq ?? this.highestSeq + 1;
  }

  append(events: readonly HeraldEvent[], jsons?: readonly string[]): Promise<void> {
    if (!this.db || this.isClosing) {
      return Promise.reject(new HeraldError('store_unavailable', `the event store ${this.description} is not open`));
    }
    if (events.length === 0) return Promise.resolve();
    let rows: EventRow[];
    try {
      // Serialised now, so a caller changing its objects later cannot change what is stored.
      rows = events.map((event, i) => toRow(event, jsons?.[i]));
    } catch (err) {
      return Promise.reject(err);
    }
    return this.group.enqueue(rows);
  }

  async findSeqs(ids: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const stmt = this.prepare('SELECT id, seq FROM events WHERE id IN (SELECT value FROM json_each(?))');
    for (let i = 0; i < ids.length; i += FIND_CHUNK_IDS) {
      const rows = stmt.all(JSON.stringify(ids.slice(i, i + FIND_CHUNK_IDS))) as Array<{ id: string; seq: number }>;
      for (const row of rows) found.set(row.id, row.seq);
    }
    return found;
  }

  async get(id: string): Promise<HeraldEvent | undefined> {
    const row = this.prepare('SELECT json FROM events WHERE id = ?').get(id) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as HeraldEvent) : undefined;
  }

  async readAfter(afterSeq: number, limit: number): Promise<HeraldEvent[]> {
    if (limit <= 0) return [];
    const rows = this.prepare('SELECT json FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, Math.floor(limit)) as Array<{
      json: string;
    }>;
    return rows.map((row) => JSON.parse(row.json) as HeraldEvent);
  }

  async seqAtTime(time: string): Promise<number> {
    const ms = Date.parse(time);
    if (Number.isNaN(ms))
      throw new HeraldError('invalid_params', `since "${time.slice(0, 40)}" is not an ISO 8601 time`, { path: 'since' });
    // Through the time index the cost follows the events after `time`, which a replay reads next anyway.
    const row = this.prepare('SELECT min(seq) AS seq FROM events INDEXED BY events_time WHERE time_ms >= ?').get(ms) as {
      seq: number | null;
    };
    return row.seq ?? this.highestSeq + 1;
  }

  /**
   * SQL decides every query field it can; `predicate` (and the exact check of
   * inner-`*` type patterns) runs in JS on rows fetched in chunks. A page that
   * reached `historyScanLimit` rows still carries a cursor, possibly with
   * fewer than `limit` events, so the caller can go on.
   */
  async history(query: HistoryQuery, predicate?: (event: HeraldEvent) => boolean): Promise<HistoryPage<HeraldEvent>> {
    let beforeSeq = query.cursor !== undefined ? decodeCursor(query.cursor) : Number.MAX_SAFE_INTEGER;
    const plan = planHistory(query);
    const where = ['seq < ?', ...plan.conditions].join(' AND ');
    const textIndex = plan.textMatch !== undefined ? this.textIndex : undefined;
    // Seqs are picked first so that, when the planner walks an index and sorts, it sorts seqs, not event JSON.
    const stmt = this.prepare(
      textIndex === undefined
        ? `SELECT seq, type, json FROM events WHERE seq IN (SELECT seq FROM events WHERE ${where} ORDER BY seq DESC LIMIT ?) ORDER BY seq DESC`
        : textSearchSql(where),
    );
    // The text-search statement takes the index's reach and the MATCH around the same parameters, twice.
    const paramsFor = (before: number, chunk: number): SqlParam[] => {
      if (textIndex === undefined) return [before, ...plan.params, chunk];
      const reach = textIndex.indexedThroughSeq;
      return [reach, before, ...plan.params, chunk, plan.textMatch!, reach, before, ...plan.params, chunk, chunk];
    };
    const limit = Math.max(1, Math.floor(query.limit));
    const isFilteredInJs = predicate !== undefined || plan.typeCheck !== undefined;
    const events: HeraldEvent[] = [];
    let scanned = 0;
    for (;;) {
      // Without JS filtering, one extra row tells whether an older page exists.
      const chunk = isFilteredInJs ? Math.min(HISTORY_SCAN_CHUNK_ROWS, this.historyScanLimit - scanned) : limit + 1;
      let rowsRead = 0;
      for (const row of stmt.iterate(...paramsFor(beforeSeq, chunk)) as IterableIterator<{ seq: number; type: string; json: string }>) {
        rowsRead++;
        scanned++;
        beforeSeq = row.seq;
        if (plan.typeCheck && !plan.typeCheck(row.type)) continue;
        const event = JSON.parse(row.json) as HeraldEvent;
        if (predicate && !predicate(event)) continue;
        if (events.length === limit) return { events, next_cursor: encodeCursor(events[limit - 1]!.seq) };
        events.push(event);
      }
      if (rowsRead < chunk) return { events, next_cursor: null };
      if (scanned >= this.historyScanLimit) return { events, next_cursor: encodeCursor(beforeSeq) };
      await nextTurn();
    }
  }

  async stats(query: StatsQuery): Promise<EventStats> {
    return readStats(
      (sql) => this.prepare(sql),
      query,
      () => nextTurn(),
    );
  }

  async count(): Promise<number> {
    return (this.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  }

  async sizeBytes(): Promise<number | undefined> {
    const db = this.database;
    const pages = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
    if (this.options.path === ':memory:') return pages;
    let walBytes = 0;
    try {
      walBytes = fs.statSync(`${this.options.path}-wal`).size;
    } catch {
      // No WAL file between checkpoints is normal.
    }
    return pages + walBytes;
  }

  async applyRetention(policy: RetentionPolicy, now: Date): Promise<number> {
    let removed = 0;
    if (policy.maxAgeMs > 0) {
      const stmt = this.prepare('DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE time_ms < ? ORDER BY time_ms LIMIT ?)');
      removed += await this.deleteInBatches(stmt, now.getTime() - policy.maxAgeMs);
    }
    if (policy.maxEvents > 0) {
      const excess = (await this.count()) - policy.maxEvents;
      if (excess > 0) {
        const cutoff = this.prepare('SELECT seq FROM events ORDER BY seq LIMIT 1 OFFSET ?').get(excess - 1) as { seq: number };
        const stmt = this.prepare('DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE seq <= ? ORDER BY seq LIMIT ?)');
        removed += await this.deleteInBatches(stmt, cutoff.seq);
      }
    }
    return removed;
  }

  async isHealthy(): Promise<boolean> {
    if (!this.db || this.isClosing || this.hasFailedCommit) return false;
    try {
      this.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  /** Commits every append already queued (their callers are acknowledged), then closes; later appends reject. */
  close(): Promise<void> {
    if (!this.db) return Promise.resolve();
    // A second close waits for the first rather than returning before the file is closed.
    this.closing ??= this.closeNow().finally(() => {
      this.closing = undefined;
    });
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    this.isClosing = true;
    this.textIndex?.stop();
    await this.group.drain();
    this.statements.clear();
    this.db?.close();
    this.db = undefined;
  }

  /**
   * Commits a batch in one transaction. When a call conflicts (a seq already
   * used), the batch is retried with a savepoint per call so that only the
   * conflicting call fails; any other failure fails the whole batch.
   */
  private writeCalls(calls: readonly EventRow[][]): Array<Error | undefined> {
    let failure: unknown;
    try {
      return this.commitCalls(calls, false);
    } catch (err) {
      failure = err;
    }
    if (calls.length > 1 && isConstraintError(failure)) {
      try {
        return this.commitCalls(calls, true);
      } catch (err) {
        failure = err;
      }
    }
    if (!isConstraintError(failure)) {
      this.hasFailedCommit = true;
      this.options.logger?.warn({ err: failure, calls: calls.length }, 'event store commit failed; its appends were rejected');
    }
    throw storeError(failure);
  }

  private commitCalls(calls: readonly EventRow[][], isIsolated: boolean): Array<Error | undefined> {
    const db = this.database;
    const insert = this.prepare(INSERT_SQL);
    const results: Array<Error | undefined> = new Array(calls.length).fill(undefined);
    const insertRows = (rows: readonly EventRow[]): number => {
      let highest = 0;
      for (const row of rows) if (insert.run(row).changes > 0 && row[0] > highest) highest = row[0];
      return highest;
    };
    const insertInSavepoint = db.transaction(insertRows);
    let highest = 0;
    db.transaction(() => {
      calls.forEach((rows, i) => {
        if (!isIsolated) {
          highest = Math.max(highest, insertRows(rows));
          return;
        }
        try {
          highest = Math.max(highest, insertInSavepoint(rows));
        } catch (err) {
          // SQLITE_FULL and I/O errors may end the whole transaction: then nothing commits.
          if (!db.inTransaction) throw err;
          results[i] = storeError(err);
        }
      });
      if (highest > 0) this.prepare(UPDATE_LAST_SEQ_SQL).run(highest);
    })();
    this.commits++;
    this.hasFailedCommit = false;
    if (highest > this.highestSeq) this.highestSeq = highest;
    return results;
  }

  private async deleteInBatches(stmt: Database.Statement, bound: number): Promise<number> {
    let removed = 0;
    for (;;) {
      if (!this.db || this.isClosing) return removed;
      const changes = stmt.run(bound, RETENTION_BATCH_ROWS).changes;
      removed += changes;
      if (changes < RETENTION_BATCH_ROWS) return removed;
      await nextTurn();
    }
  }

  private prepare(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      stmt = this.database.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}
