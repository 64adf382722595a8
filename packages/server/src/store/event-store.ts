import type { EventStats, HeraldEvent, HistoryPage, HistoryQuery } from '@herald/protocol';

/** Counts for the dashboard's charts over a window: the `GET /api/events/stats` body. */
export type { EventStats };

export interface StatsQuery {
  /** Window start, ISO. */
  from: string;
  /** Window end, ISO. */
  to: string;
  /** Bucket width in seconds. */
  bucketS: number;
  /** Only events of this org (and org-less ones) when set. */
  org?: string;
  /** Top-N per breakdown, ordered by count then key; default 10. */
  top?: number;
}

export interface RetentionPolicy {
  /** Keep at most this many events; 0 means no count limit. */
  maxEvents: number;
  /** Drop events older than this, in ms; 0 means no age limit. */
  maxAgeMs: number;
}

/**
 * The durable, ordered event log.
 *
 * Contract:
 * - `append` takes events already sequenced by the caller, in ascending
 *   `seq`, and resolves once they are durable (committed). Calls made close
 *   together are committed together (group commit); a rejection means none
 *   of that call's events is acknowledged.
 * - An event whose `id` is already stored is ignored (idempotent publish).
 * - Reads see only committed events.
 * - `seq` values are never reused, even after retention removed them.
 */
export interface EventStore {
  /** Human name for /health, e.g. `sqlite:/data/herald.db`. */
  readonly description: string;
  /**
   * Diagnostic, optional: transactions `append` has committed since `open`.
   * Fewer commits than appends shows group commit at work.
   */
  readonly commits?: number;
  open(): Promise<void>;
  /** Highest seq ever stored, 0 when the log is empty. */
  lastSeq(): Promise<number>;
  /** Smallest seq still stored, or `lastSeq() + 1` when empty. */
  earliestSeq(): Promise<number>;
  /** `jsons[i]`, when given, is `JSON.stringify(events[i])`, already made by the caller: stores may use it instead of serialising again. */
  append(events: readonly HeraldEvent[], jsons?: readonly string[]): Promise<void>;
  /** Seqs of the ids already stored; ids not stored are absent from the map. */
  findSeqs(ids: readonly string[]): Promise<Map<string, number>>;
  get(id: string): Promise<HeraldEvent | undefined>;
  /** Events with `seq > afterSeq`, ascending, at most `limit`. */
  readAfter(afterSeq: number, limit: number): Promise<HeraldEvent[]>;
  /** The seq of the first event at or after `time` (ISO), or `lastSeq() + 1`. */
  seqAtTime(time: string): Promise<number>;
  /**
   * Newest first, filtered as the query says, with an opaque cursor.
   * `query.filters` is not read by the store: the caller compiles it (and any
   * permission check) into `predicate`, which the store applies after its own
   * SQL filters, scanning at most `scanLimit` rows (default 50,000) per page.
   * A page that reached that limit may hold fewer than `limit` events and
   * still carry a cursor; `next_cursor` is null only when no older event
   * matches. `query.org` keeps only events of that org. A cursor the store
   * did not make is rejected with an `invalid_params` error (path `cursor`).
   */
  history(query: HistoryQuery, predicate?: (event: HeraldEvent) => boolean): Promise<HistoryPage<HeraldEvent>>;
  stats(query: StatsQuery): Promise<EventStats>;
  /** Number of events stored: exact for small logs; a store may answer an estimate for a very large one (metrics read it often). */
  count(): Promise<number>;
  /** Size on disk in bytes, when known. */
  sizeBytes(): Promise<number | undefined>;
  /** Deletes what the policy no longer keeps; resolves to how many were removed. */
  applyRetention(policy: RetentionPolicy, now: Date): Promise<number>;
  /** True while the store can take writes. */
  isHealthy(): Promise<boolean>;
  /**
   * Stored events the text-search index has not reached yet (SQLite fills it
   * behind the log; until then search scans them). Absent when the index is
   * maintained with each append.
   */
  textIndexLagEvents?(): number;
  /** Flushes pending appends and closes. */
  close(): Promise<void>;
}
