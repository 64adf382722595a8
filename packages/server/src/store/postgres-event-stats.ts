import type pg from 'pg';
import { HeraldError } from '../errors/herald-error.js';
import type { EventStats, StatsQuery } from './event-store.js';
import { isStorableText } from './postgres-event-row.js';
import { DEFAULT_STATS_TOP, planBuckets } from './sqlite-event-stats.js';

/** Breakdown fields and the column each groups by; a fixed list, so column names never come from input. */
const BREAKDOWNS = [
  ['by_type', 'type'],
  ['by_severity', 'severity'],
  ['by_priority', 'priority'],
  ['by_source', 'source'],
  ['by_category', 'category'],
] as const;

type Breakdown = (typeof BREAKDOWNS)[number][0];

/**
 * One statement for the whole answer: a single scan of the window (through
 * the covering `events_time` index) grouped by grouping sets, one per bucket
 * and one per breakdown, each breakdown cut to its top N in SQL. Six separate
 * queries would scan the window six times or hold six pooled connections.
 */
function statsSql(schema: string, hasOrg: boolean): string {
  const label = BREAKDOWNS.map(([field, column]) => `WHEN GROUPING(${column}) = 0 THEN '${field}'`).join(' ');
  const columns = BREAKDOWNS.map(([, column]) => column).join(', ');
  return `
WITH w AS (
  SELECT (time_ms - $1::bigint) / $2::bigint AS bucket, ${columns}
  FROM ${schema}.events
  WHERE time_ms >= $3::bigint AND time_ms < $4::bigint${hasOrg ? ' AND (org = $6 OR org IS NULL)' : ''}
), g AS (
  SELECT CASE WHEN GROUPING(bucket) = 0 THEN 'timeline' ${label} END AS field,
         bucket, COALESCE(${columns}) AS key, count(*) AS n
  FROM w
  GROUP BY GROUPING SETS ((bucket), ${BREAKDOWNS.map(([, column]) => `(${column})`).join(', ')})
)
SELECT field, bucket, key, n FROM (
  SELECT g.*, row_number() OVER (PARTITION BY field ORDER BY n DESC, key ASC) AS rank FROM g
) ranked
WHERE field = 'timeline' OR rank <= $5::int
ORDER BY field, n DESC, key ASC`;
}

/**
 * Counts events with `from <= time < to` per bucket (every bucket listed,
 * oldest first, empty ones with 0; buckets aligned to the epoch exactly as
 * the SQLite store aligns them) and the top N keys of each breakdown (by
 * count, then key in byte order). With `org`, counts that org's events and
 * org-less ones.
 * @throws HeraldError `invalid_params` for a malformed window, too many buckets, or an org PostgreSQL cannot bind.
 */
export async function readStats(pool: pg.Pool, schema: string, query: StatsQuery): Promise<EventStats> {
  const plan = planBuckets(query);
  if (query.org !== undefined && !isStorableText(query.org)) {
    throw new HeraldError('invalid_params', 'org holds U+0000 or a lone surrogate', { path: 'org' });
  }
  const top = Math.max(1, Math.floor(query.top ?? DEFAULT_STATS_TOP));
  const params: unknown[] = [plan.firstBucketMs, plan.bucketMs, plan.fromMs, plan.toMs, top];
  if (query.org !== undefined) params.push(query.org);
  const result = await pool.query<{ field: 'timeline' | Breakdown; bucket: string | null; key: string | null; n: string }>(
    statsSql(schema, query.org !== undefined),
    params,
  );

  const counts = new Array<number>(plan.buckets).fill(0);
  const stats: EventStats = {
    from: new Date(plan.fromMs).toISOString(),
    to: new Date(plan.toMs).toISOString(),
    bucket_s: plan.bucketMs / 1000,
    total: 0,
    timeline: [],
    by_type: [],
    by_severity: [],
    by_priority: [],
    by_source: [],
    by_category: [],
  };
  for (const row of result.rows) {
    const n = Number(row.n);
    if (row.field === 'timeline') {
      counts[Number(row.bucket)] = n;
      stats.total += n;
    } else {
      stats[row.field].push({ key: row.key!, count: n });
    }
  }
  stats.timeline = counts.map((count, i) => ({ time: new Date(plan.firstBucketMs + i * plan.bucketMs).toISOString(), count }));
  return stats;
}
