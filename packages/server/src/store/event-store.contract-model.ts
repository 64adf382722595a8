import type { HeraldEvent, HistoryQuery } from '@herald/protocol';
import type { EventStats, EventStore, StatsQuery } from './event-store.js';

/**
 * Brute-force answers the contract suite compares stores against: plain
 * loops over every appended event, written for obviousness, not speed.
 */

/** True when `type` matches the subscription pattern, segment by segment. */
export function matchesTypePattern(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  const want = pattern.split('.');
  const have = type.split('.');
  for (let i = 0; i < want.length; i++) {
    const isLast = i === want.length - 1;
    if (want[i] === '*' && isLast) return have.length > i;
    if (i >= have.length) return false;
    if (want[i] !== '*' && want[i] !== have[i]) return false;
  }
  return have.length === want.length;
}

/** The events a store kept: the first of each id, in seq order. */
export function storedEvents(appended: readonly HeraldEvent[]): HeraldEvent[] {
  const seen = new Set<string>();
  return appended.filter((e) => !seen.has(e.id) && seen.add(e.id));
}

function matchesQuery(e: HeraldEvent, q: HistoryQuery): boolean {
  const ms = Date.parse(e.time);
  const search = q.search?.toLowerCase();
  return (
    (!q.types?.length || q.types.some((p) => matchesTypePattern(p, e.type))) &&
    (!q.sources?.length || q.sources.includes(e.source)) &&
    (!q.severity?.length || q.severity.includes(e.severity)) &&
    (!q.priority?.length || q.priority.includes(e.priority)) &&
    (!q.categories?.length || q.categories.includes(e.category)) &&
    (search === undefined || [e.type, e.source, JSON.stringify(e.data)].some((text) => text.toLowerCase().includes(search))) &&
    (q.since_time === undefined || ms >= Date.parse(q.since_time)) &&
    (q.until_time === undefined || ms <= Date.parse(q.until_time)) &&
    (q.after_seq === undefined || e.seq > q.after_seq) &&
    (q.correlation_id === undefined || e.correlation_id === q.correlation_id) &&
    (q.org === undefined || e.org === q.org)
  );
}

/** Every stored event the query (and predicate) selects, newest first, ignoring `limit`. */
export function historyMatches(appended: readonly HeraldEvent[], q: HistoryQuery, predicate?: (e: HeraldEvent) => boolean): HeraldEvent[] {
  return storedEvents(appended)
    .filter((e) => matchesQuery(e, q) && (!predicate || predicate(e)))
    .reverse();
}

/** Follows `next_cursor` from the first page to the last; fails on a page over `limit` or a loop that does not end. */
export async function pageThrough(
  store: EventStore,
  query: HistoryQuery,
  predicate?: (e: HeraldEvent) => boolean,
): Promise<HeraldEvent[][]> {
  const pages: HeraldEvent[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 10_000; i++) {
    const page = await store.history(cursor === undefined ? query : { ...query, cursor }, predicate);
    if (page.events.length > query.limit) throw new Error(`page of ${page.events.length} events is over the limit ${query.limit}`);
    pages.push(page.events);
    if (page.next_cursor === null) return pages;
    cursor = page.next_cursor;
  }
  throw new Error('history paging did not end');
}

function topCounts(keys: string[], top: number): Array<{ key: string; count: number }> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, top);
}

/** Stats as the contract defines them: `from <= time < to`, epoch-aligned buckets, org plus org-less events. */
export function expectedStats(appended: readonly HeraldEvent[], q: StatsQuery): EventStats {
  const fromMs = Date.parse(q.from);
  const toMs = Date.parse(q.to);
  const bucketMs = q.bucketS * 1000;
  const firstMs = Math.floor(fromMs / bucketMs) * bucketMs;
  const inWindow = storedEvents(appended).filter((e) => {
    const ms = Date.parse(e.time);
    return ms >= fromMs && ms < toMs && (q.org === undefined || e.org === undefined || e.org === q.org);
  });
  const timeline = Array.from({ length: Math.ceil((toMs - firstMs) / bucketMs) }, (_, i) => ({
    time: new Date(firstMs + i * bucketMs).toISOString(),
    count: inWindow.filter((e) => Math.floor((Date.parse(e.time) - firstMs) / bucketMs) === i).length,
  }));
  const top = q.top ?? 10;
  return {
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    bucket_s: q.bucketS,
    total: inWindow.length,
    timeline,
    by_type: topCounts(
      inWindow.map((e) => e.type),
      top,
    ),
    by_severity: topCounts(
      inWindow.map((e) => e.severity),
      top,
    ),
    by_priority: topCounts(
      inWindow.map((e) => e.priority),
      top,
    ),
    by_source: topCounts(
      inWindow.map((e) => e.source),
      top,
    ),
    by_category: topCounts(
      inWindow.map((e) => e.category),
      top,
    ),
  };
}
