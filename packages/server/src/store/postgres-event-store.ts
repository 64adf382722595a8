import pg from 'pg';
import type { HeraldEvent, HistoryPage, HistoryQuery } from '@herald/protocol';
import { HeraldError } from '../errors/herald-error.js';
import type { EventStats, EventStore, RetentionPolicy, StatsQuery } from './event-store.js';
import type { SeqFence } from './seq-fence.js';
import { GroupCommit } from './group-commit.js';
import { readStats } from './postgres-event-stats.js';
import { type PostgresEventRow, insertRowsSql, isConstraintError, isStorableText, storeError, toRow } from './postgres-event-row.js';
import { binder, planHistory } from './postgres-history-query.js';
import { DEFAULT_POSTGRES_SCHEMA, migrate, quoteSchemaName, splitSchemaParam } from './postgres-schema.js';
import { decodeCursor, encodeCursor } from './history-cursor.js';

export interface PostgresEventStoreOptions {
  /**
   * `postgres://user:password@host:port/database`. A `schema` query
   * parameter names the schema when `schema` is not given; it is read here
   * and not passed on to the server.
   */
  connectionString: string;
  /** Schema holding the tables, created on `open` when missing; default `herald` (or the URL's `schema`). */
  schema?: string;
  /** Most pooled connections; default 10. Commits use one at a time, reads the rest. */
  poolSize?: number;
  /** Rows a history page may scan when a predicate filters in JS; default 50,000. */
  historyScanLimit?: number;
  logger?: { warn(obj: object, msg: string): void };
}

/** Rows per retention `DELETE`, so no single statement holds row locks or WAL for long. */
const RETENTION_BATCH_ROWS = 10_000;
/** Rows per history scan step when a predicate filters in JS. */
const HISTORY_SCAN_CHUNK_ROWS = 5_000;
/** Ids per `findSeqs` lookup. */
const FIND_CHUNK_IDS = 1_000;
/** How long `isHealthy` waits for its probe, in ms, so /health answers while the server is unreachable. */
const HEALTH_TIMEOUT_MS = 2_000;
/** Above this many rows (the planner's estimate), `count` answers the estimate instead of scanning the table. */
const EXACT_COUNT_MAX_ROWS = 100_000;
/** Most seqs one `settle` may decide, so a wild range cannot write millions of claims. */
const SETTLE_MAX_SEQS = 100_000;
/** How long taking a new connection may wait, in ms; pg's default is to wait forever. */
const CONNECT_TIMEOUT_MS = 10_000;
/**
 * How long a commit may wait for its answer, in ms. A connection cut without
 * a reset would otherwise hold every publisher until the kernel gives up
 * (minutes); past this the outcome is unknown, the connection is dropped, and
 * the publisher holds the events and writes them again.
 */
const COMMIT_TIMEOUT_MS = 5_000;
/** A checked-out connection that fails between two queries emits `error`; unhandled, that would end the process. */
const ignoreClientError = (): void => undefined;

/** BIGINT and count(*) arrive as strings; seqs stay below 2^53, so a number holds them exactly. */
const toNumber = (value: string | number | null | undefined): number => Number(value ?? 0);

/** `postgres://host:port/database (schema s)`, without user or password, for /health. */
function describe(connectionString: string, schema: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.protocol}//${url.host}${url.pathname} (schema ${schema})`;
  } catch {
    return `postgres (schema ${schema})`;
  }
}

/**
 * The event log in PostgreSQL, for one node or several sharing a database.
 * Appends are group-committed: every `append` queued while the previous
 * commit runs (or in the same event-loop turn) goes into one INSERT, which
 * commits as one transaction; a batch in which one call's seq is taken is
 * retried with a savepoint per call, so that only that call fails. Reads
 * return the event text exactly as appended. See {@link EventStore} for the
 * contract.
 *
 * The tables live in one schema (option `schema`, else the URL's `schema`
 * query parameter, else `herald`), created on `open` when missing, so tests
 * and deployments can share a database.
 *
 * @example
 * const store = new PostgresEventStore({ connectionString: 'postgres://herald@db/herald?schema=herald' });
 * await store.open();
 * await store.append([event]); // durable here
 */
export class PostgresEventStore implements EventStore, SeqFence {
  readonly description: string;
  /** Diagnostic: transactions committed by `append` since `open`. */
  commits = 0;

  private pgPool: pg.Pool | undefined;
  private readonly schemaName: string;
  /** The schema, quoted for splicing into SQL. */
  private readonly s: string;
  private readonly connectionString: string;
  private readonly insert: string;
  private readonly group = new GroupCommit<PostgresEventRow[]>((calls) => this.writeCalls(calls));
  private isClosing = false;
  private closing: Promise<void> | undefined;
  private hasFailedCommit = false;
  private readonly historyScanLimit: number;

  constructor(private readonly options: PostgresEventStoreOptions) {
    const { url, schema } = splitSchemaParam(options.connectionString);
    this.connectionString = url;
    this.schemaName = options.schema ?? schema ?? DEFAULT_POSTGRES_SCHEMA;
    this.s = quoteSchemaName(this.schemaName);
    this.insert = insertRowsSql(this.s);
    this.description = describe(url, this.schemaName);
    this.historyScanLimit = Math.max(1, options.historyScanLimit ?? 50_000);
  }

  async open(): Promise<void> {
    if (this.pgPool) return;
    const pool = new pg.Pool({
      connectionString: this.connectionString,
      max: this.options.poolSize ?? 10,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // Dead peers are noticed by TCP keepalive, not only by the next query.
      keepAlive: true,
      application_name: 'herald',
    });
    // An idle client losing its connection emits here; unhandled, it would end the process.
    // The pool drops that client and opens a fresh one on the next query: no restart is needed.
    pool.on('error', (err) => this.options.logger?.warn({ err }, 'an idle PostgreSQL connection failed; the pool replaces it'));
    try {
      const client = await pool.connect();
      client.on('error', ignoreClientError);
      try {
        const { textIndexMissing } = await migrate(client, this.schemaName);
        if (textIndexMissing !== undefined) {
          this.options.logger?.warn(
            { reason: textIndexMissing },
            'no trigram index for history search (the pg_trgm extension could not be created); search scans the log',
          );
        }
      } finally {
        client.off('error', ignoreClientError);
        client.release();
      }
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    this.pgPool = pool;
    this.isClosing = false;
    this.hasFailedCommit = false;
  }

  /**
   * Highest seq ever stored or settled, by any node: the rows still there,
   * the seqs claimed (appended, or given up by {@link settle}), and the
   * highest seq retention removed. Read from the database, not cached, so
   * that a node sees what the others appended.
   */
  async lastSeq(): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string }>(
      `SELECT GREATEST((SELECT value FROM ${this.s}.meta WHERE key = 'last_seq'), (SELECT max(seq) FROM ${this.s}.events),
        (SELECT max(seq) FROM ${this.s}.seq_claims), 0) AS seq`,
    );
    return toNumber(rows[0]?.seq);
  }

  async earliestSeq(): Promise<number> {
    const { rows } = await this.pool.query<{ seq: string | null }>(`SELECT min(seq) AS seq FROM ${this.s}.events`);
    return rows[0]?.seq != null ? toNumber(rows[0].seq) : (await this.lastSeq()) + 1;
  }

  append(events: readonly HeraldEvent[]): Promise<void> {
    if (!this.pgPool || this.isClosing) {
      return Promise.reject(new HeraldError('store_unavailable', `the event store ${this.description} is not open`));
    }
    if (events.length === 0) return Promise.resolve();
    let rows: PostgresEventRow[];
    try {
      rows = events.map(toRow);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.group.enqueue(rows);
  }

  async findSeqs(ids: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    // An id append would refuse is not stored; binding it would fail the whole lookup.
    ids = ids.filter(isStorableText);
    for (let i = 0; i < ids.length; i += FIND_CHUNK_IDS) {
      // Every publish with its own ids waits for this lookup: bounded like a commit.
      const lookup: pg.QueryConfig & { query_timeout: number } = {
        text: `SELECT id, seq FROM ${this.s}.events WHERE id = ANY($1::text[])`,
        values: [ids.slice(i, i + FIND_CHUNK_IDS)],
        query_timeout: COMMIT_TIMEOUT_MS,
      };
      const { rows } = await this.pool.query<{ id: string; seq: string }>(lookup);
      for (const row of rows) found.set(row.id, toNumber(row.seq));
    }
    return found;
  }

  async get(id: string): Promise<HeraldEvent | undefined> {
    if (!isStorableText(id)) return undefined;
    const { rows } = await this.pool.query<{ json: string }>(`SELECT json FROM ${this.s}.events WHERE id = $1`, [id]);
    return rows[0] ? (JSON.parse(rows[0].json) as HeraldEvent) : undefined;
  }

  async readAfter(afterSeq: number, limit: number): Promise<HeraldEvent[]> {
    if (limit <= 0) return [];
    const { rows } = await this.pool.query<{ json: string }>(`SELECT json FROM ${this.s}.events WHERE seq > $1 ORDER BY seq LIMIT $2`, [
      afterSeq,
      Math.floor(limit),
    ]);
    return rows.map((row) => JSON.parse(row.json) as HeraldEvent);
  }

  async seqAtTime(time: string): Promise<number> {
    const ms = Date.parse(time);
    if (Number.isNaN(ms))
      throw new HeraldError('invalid_params', `since "${time.slice(0, 40)}" is not an ISO 8601 time`, { path: 'since' });
    const { rows } = await this.pool.query<{ seq: string | null }>(`SELECT min(seq) AS seq FROM ${this.s}.events WHERE time_ms >= $1`, [
      ms,
    ]);
    return rows[0]?.seq != null ? toNumber(rows[0].seq) : (await this.lastSeq()) + 1;
  }

  /**
   * SQL decides every query field, type patterns included; only `predicate`
   * runs in JS, on rows fetched in chunks. A page that reached
   * `historyScanLimit` rows still carries a cursor, possibly with fewer than
   * `limit` events, so the caller can go on.
   */
  async history(query: HistoryQuery, predicate?: (event: HeraldEvent) => boolean): Promise<HistoryPage<HeraldEvent>> {
    let beforeSeq = query.cursor !== undefined ? decodeCursor(query.cursor) : Number.MAX_SAFE_INTEGER;
    const params: unknown[] = [];
    const bind = binder(params);
    const before = bind(0);
    const conditions = planHistory(query, bind);
    const chunkParam = bind(0);
    const sql = `SELECT seq, json FROM ${this.s}.events WHERE ${[`seq < ${before}`, ...conditions].join(' AND ')} ORDER BY seq DESC LIMIT ${chunkParam}`;
    const limit = Math.max(1, Math.floor(query.limit));
    const events: HeraldEvent[] = [];
    let scanned = 0;
    for (;;) {
      // Without a predicate, one extra row tells whether an older page exists.
      const chunk = predicate ? Math.min(HISTORY_SCAN_CHUNK_ROWS, this.historyScanLimit - scanned) : limit + 1;
      params[0] = beforeSeq;
      params[params.length - 1] = chunk;
      const { rows } = await this.pool.query<{ seq: string; json: string }>(sql, params);
      for (const row of rows) {
        scanned++;
        beforeSeq = toNumber(row.seq);
        const event = JSON.parse(row.json) as HeraldEvent;
        if (predicate && !predicate(event)) continue;
        if (events.length === limit) return { events, next_cursor: encodeCursor(events[limit - 1]!.seq) };
        events.push(event);
      }
      if (rows.length < chunk) return { events, next_cursor: null };
      if (scanned >= this.historyScanLimit) return { events, next_cursor: encodeCursor(beforeSeq) };
    }
  }

  async stats(query: StatsQuery): Promise<EventStats> {
    return readStats(this.pool, this.s, query);
  }

  /**
   * Exact while the table is small; past {@link EXACT_COUNT_MAX_ROWS} rows the
   * planner's estimate (`pg_class.reltuples`, kept by autovacuum), because a
   * `count(*)` reads the whole table and metrics ask every few seconds.
   */
  async count(): Promise<number> {
    const estimate = await this.pool.query<{ n: string }>(`SELECT reltuples::bigint AS n FROM pg_class WHERE oid = $1::regclass`, [
      `${this.s}.events`,
    ]);
    const estimated = toNumber(estimate.rows[0]?.n);
    if (estimated > EXACT_COUNT_MAX_ROWS) return estimated;
    const { rows } = await this.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.s}.events`);
    return toNumber(rows[0]?.n);
  }

  /**
   * Claims every seq of the range not claimed yet, so no append can store an
   * event there any more, then reads the events the range holds. A claim
   * that meets an append still in flight waits for it (a unique index
   * conflict waits for the other transaction), so an event committing at
   * that moment is returned, not skipped. See {@link SeqFence}.
   */
  async settle(fromSeq: number, toSeq: number): Promise<HeraldEvent[]> {
    const from = Math.max(1, Math.floor(fromSeq));
    const to = Math.min(Math.floor(toSeq), from + SETTLE_MAX_SEQS - 1);
    if (to < from) return [];
    await this.pool.query(
      `INSERT INTO ${this.s}.seq_claims (seq) SELECT generate_series($1::bigint, $2::bigint) ON CONFLICT (seq) DO NOTHING`,
      [from, to],
    );
    // A new statement, so a new snapshot: it sees the appends the claims waited for.
    const { rows } = await this.pool.query<{ json: string }>(
      `SELECT json FROM ${this.s}.events WHERE seq BETWEEN $1 AND $2 ORDER BY seq`,
      [from, to],
    );
    return rows.map((row) => JSON.parse(row.json) as HeraldEvent);
  }

  /** Table, indexes and TOAST of both tables, as `pg_total_relation_size` reports them. */
  async sizeBytes(): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ bytes: string }>(
      `SELECT pg_total_relation_size($1::regclass) + pg_total_relation_size($2::regclass) AS bytes`,
      [`${this.s}.events`, `${this.s}.meta`],
    );
    return toNumber(rows[0]?.bytes);
  }

  async applyRetention(policy: RetentionPolicy, now: Date): Promise<number> {
    let removed = 0;
    if (policy.maxAgeMs > 0) {
      removed += await this.deleteInBatches('time_ms < $1 ORDER BY time_ms', now.getTime() - policy.maxAgeMs);
    }
    if (policy.maxEvents > 0) {
      // The newest event not kept; counting from the new end reads maxEvents index entries, not the whole table.
      const { rows } = await this.pool.query<{ seq: string }>(`SELECT seq FROM ${this.s}.events ORDER BY seq DESC OFFSET $1 LIMIT 1`, [
        policy.maxEvents,
      ]);
      if (rows[0]) removed += await this.deleteInBatches('seq <= $1 ORDER BY seq', toNumber(rows[0].seq));
    }
    if (removed > 0) {
      // Claims below the oldest event decide nothing any more; meta keeps the highest seq.
      await this.pool.query(
        `DELETE FROM ${this.s}.seq_claims WHERE seq < (SELECT COALESCE(min(seq), (SELECT value FROM ${this.s}.meta WHERE key = 'last_seq')) FROM ${this.s}.events)`,
      );
    }
    return removed;
  }

  async isHealthy(): Promise<boolean> {
    if (!this.pgPool || this.isClosing || this.hasFailedCommit) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), HEALTH_TIMEOUT_MS);
    });
    const probe = this.pgPool.query('SELECT 1').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([probe, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Commits every append already queued (their callers are acknowledged), then ends the pool; later appends reject. */
  close(): Promise<void> {
    if (!this.pgPool) return Promise.resolve();
    // A second close waits for the first rather than returning before the pool has ended.
    this.closing ??= this.closeNow().finally(() => {
      this.closing = undefined;
    });
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    this.isClosing = true;
    await this.group.drain();
    const pool = this.pgPool;
    this.pgPool = undefined;
    await pool?.end();
  }

  private get pool(): pg.Pool {
    if (!this.pgPool) throw new HeraldError('store_unavailable', `the event store ${this.description} is not open`);
    return this.pgPool;
  }

  /**
   * Commits a batch. One INSERT is its own transaction, so the common case
   * costs one round trip. When a call conflicts (its seq is taken), the batch
   * is retried in a transaction with a savepoint per call, so that only the
   * conflicting call fails; any other failure fails the whole batch.
   */
  private async writeCalls(calls: readonly PostgresEventRow[][]): Promise<Array<Error | undefined>> {
    let failure: unknown;
    try {
      // pg reads query_timeout from a query's config too; its types know it only as a client option.
      const insert: pg.QueryConfig & { query_timeout: number } = {
        text: this.insert,
        values: [JSON.stringify(calls.flat())],
        query_timeout: COMMIT_TIMEOUT_MS,
      };
      await this.pool.query(insert);
      return this.committed(new Array<Error | undefined>(calls.length).fill(undefined));
    } catch (err) {
      failure = err;
    }
    if (calls.length > 1 && isConstraintError(failure)) {
      try {
        return this.committed(await this.commitIsolated(calls));
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

  private committed(results: Array<Error | undefined>): Array<Error | undefined> {
    this.commits++;
    this.hasFailedCommit = false;
    return results;
  }

  private async commitIsolated(calls: readonly PostgresEventRow[][]): Promise<Array<Error | undefined>> {
    const client = await this.pool.connect();
    client.on('error', ignoreClientError);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const results: Array<Error | undefined> = [];
      for (const rows of calls) {
        await client.query('SAVEPOINT herald_call');
        try {
          await client.query(this.insert, [JSON.stringify(rows)]);
          await client.query('RELEASE SAVEPOINT herald_call');
          results.push(undefined);
        } catch (err) {
          if (!isConstraintError(err)) throw err;
          await client.query('ROLLBACK TO SAVEPOINT herald_call');
          results.push(storeError(err));
        }
      }
      await client.query('COMMIT');
      return results;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackErr: Error) => {
        broken = rollbackErr;
      });
      throw err;
    } finally {
      client.off('error', ignoreClientError);
      // A connection that could not even roll back is discarded, not reused.
      client.release(broken);
    }
  }

  /** Deletes the rows `filter` selects (with `$1` bound to `bound`) in batches, recording the highest seq removed. */
  private async deleteInBatches(filter: string, bound: number): Promise<number> {
    // One statement per batch: the rows go and meta keeps their highest seq atomically,
    // so lastSeq never goes back even when retention empties the log.
    const sql = `WITH gone AS (
  DELETE FROM ${this.s}.events WHERE seq IN (SELECT seq FROM ${this.s}.events WHERE ${filter} LIMIT $2) RETURNING seq
), kept AS (
  INSERT INTO ${this.s}.meta (key, value) SELECT 'last_seq', max(seq) FROM gone HAVING count(*) > 0
  ON CONFLICT (key) DO UPDATE SET value = GREATEST(meta.value, excluded.value)
)
SELECT count(*) AS n FROM gone`;
    let removed = 0;
    for (;;) {
      if (!this.pgPool || this.isClosing) return removed;
      const { rows } = await this.pool.query<{ n: string }>(sql, [bound, RETENTION_BATCH_ROWS]);
      const n = toNumber(rows[0]?.n);
      removed += n;
      if (n < RETENTION_BATCH_ROWS) return removed;
    }
  }
}
