import type Database from 'better-sqlite3';
import { HeraldError } from '../errors/herald-error.js';
import type { EventStats, StatsQuery } from './event-store.js';

/** Most buckets one stats query may ask for. */
export const MAX_STATS_BUCKETS = 10_000;

/** Default top-N per breakdown. */
export const DEFAULT_STATS_TOP = 10;

/** A window cut into buckets aligned to multiples of the bucket width since the epoch. */
export interface BucketPlan {
  fromMs: number;
  toMs: number;
  bucketMs: number;
  /** Start of the first bucket, at or before `fromMs`. */
  firstBucketMs: number;
  buckets: number;
}

/**
 * Validates a stats window and cuts it into buckets. Buckets are aligned to
 * the epoch so that a chart refreshed a few seconds later shows the same
 * bucket edges.
 * @throws HeraldError `invalid_params` for a malformed window or too many buckets.
 */
export function planBuckets(query: StatsQuery): BucketPlan {
  const fromMs = Date.parse(query.from);
  const toMs = Date.parse(query.to);
  if (Number.isNaN(fromMs))
    throw new HeraldError('invalid_params', `from "${query.from.slice(0, 40)}" is not an ISO 8601 time`, { path: 'from' });
  if (Number.isNaN(toMs)) throw new HeraldError('invalid_params', `to "${query.to.slice(0, 40)}" is not an ISO 8601 time`, { path: 'to' });
  if (toMs <= fromMs)
    throw new HeraldError('invalid_params', 'to must be later than from', {
      path: 'to',
    });
  const bucketMs = Math.round(query.bucketS * 1000);
  if (!Number.isFinite(bucketMs) || bucketMs < 1000) {
    throw new HeraldError('invalid_params', 'bucket_s must be a number of seconds, at least 1', { path: 'bucket_s' });
  }
  const firstBucketMs = Math.floor(fromMs / bucketMs) * bucketMs;
  const buckets = Math.ceil((toMs - firstBucketMs) / bucketMs);
  if (buckets > MAX_STATS_BUCKETS) {
    throw new HeraldError('invalid_params', `the window holds ${buckets} buckets, more than ${MAX_STATS_BUCKETS}; use a larger bucket_s`, {
      path: 'bucket_s',
    });
  }
  return { fromMs, toMs, bucketMs, firstBucketMs, buckets };
}

/** Columns the breakdowns group by; a fixed list, so column names never come from input. */
const BREAKDOWNS = {
  by_type: 'type',
  by_severity: 'severity',
  by_priority: 'priority',
  by_source: 'source',
  by_category: 'category',
} as const;

type Prepare = (sql: string) => Database.Statement;

/**
 * Counts events with `from <= time < to` per bucket (every bucket listed,
 * oldest first, empty ones with 0) and the top N keys of each breakdown
 * (by count, then key). With `org`, counts that org's events and org-less ones.
 * JS numbers bind as REAL, hence the casts that keep bucket numbers whole.
 */
export async function readStats(prepare: Prepare, query: StatsQuery, yieldTurn: () => Promise<unknown>): Promise<EventStats> {
  const plan = planBuckets(query);
  const top = Math.max(1, Math.floor(query.top ?? DEFAULT_STATS_TOP));
  const window = `time_ms >= ? AND time_ms < ?${query.org !== undefined ? ' AND (org = ? OR org IS NULL)' : ''}`;
  const windowParams: Array<string | number> = [plan.fromMs, plan.toMs];
  if (query.org !== undefined) windowParams.push(query.org);

  const counts = new Array<number>(plan.buckets).fill(0);
  const bucketRows = prepare(
    `SELECT (time_ms - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS bucket, count(*) AS n FROM events WHERE ${window} GROUP BY bucket`,
  ).all(plan.firstBucketMs, plan.bucketMs, ...windowParams) as Array<{
    bucket: number;
    n: number;
  }>;
  let total = 0;
  for (const row of bucketRows) {
    counts[row.bucket] = row.n;
    total += row.n;
  }

  const stats: EventStats = {
    from: new Date(plan.fromMs).toISOString(),
    to: new Date(plan.toMs).toISOString(),
    bucket_s: plan.bucketMs / 1000,
    total,
    timeline: counts.map((count, i) => ({
      time: new Date(plan.firstBucketMs + i * plan.bucketMs).toISOString(),
      count,
    })),
    by_type: [],
    by_severity: [],
    by_priority: [],
    by_source: [],
    by_category: [],
  };
  for (const [field, column] of Object.entries(BREAKDOWNS) as Array<[keyof typeof BREAKDOWNS, string]>) {
    // Each breakdown is one index scan; other work gets a turn between them.
    await yieldTurn();
    stats[field] = prepare(
      `SELECT ${column} AS key, count(*) AS count FROM events WHERE ${window} GROUP BY ${column} ORDER BY count DESC, key ASC LIMIT ?`,
    ).all(...windowParams, top) as Array<{ key: string; count: number }>;
  }
  return stats;
}
