import { type HistoryQuery, TYPE_PATTERN_PATTERN } from '@herald/protocol';
import { HeraldError } from '../errors/herald-error.js';
import { compilePattern } from '../matching/parse-pattern.js';
import { trigramMatch } from './sqlite-text-index.js';

/** A value SQLite binds. */
export type SqlValue = string | number | bigint | null;

/**
 * The SQL side of a history query: conditions ANDed into a `WHERE`, their
 * parameters in order, and, when SQL can only approximate the type patterns,
 * the exact check to run on each row's type.
 */
export interface HistoryPlan {
  /** Conditions to AND; empty when the query filters nothing. */
  conditions: string[];
  params: SqlValue[];
  /** Set when a pattern with an inner `*` segment was widened to a GLOB; rows must pass it too. */
  typeCheck: ((type: string) => boolean) | undefined;
  /**
   * For a `search` of three characters or more: the trigram index query that
   * narrows candidates (the LIKE condition among `conditions` still decides).
   */
  textMatch: string | undefined;
}

/** `%`, `_` and the escape character itself, escaped for `LIKE … ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Type-pattern conditions: exact names as `IN`, wildcards as `GLOB` (case-sensitive, index-friendly for a fixed prefix). */
function typeConditions(patterns: readonly string[], plan: HistoryPlan): void {
  for (const pattern of patterns) {
    if (!TYPE_PATTERN_PATTERN.test(pattern)) {
      throw new HeraldError(
        'invalid_params',
        `types: "${pattern.slice(0, 60)}" is not a type pattern such as "claude.*" or "repo.*.created"`,
        {
          path: 'types',
        },
      );
    }
  }
  if (patterns.includes('*')) return;
  const exact = patterns.filter((p) => !p.includes('*'));
  const wildcards = patterns.filter((p) => p.includes('*'));
  const alternatives: string[] = [];
  if (exact.length > 0) alternatives.push(inList('type', exact, plan.params));
  // Type characters are never GLOB metacharacters, so a pattern is its own GLOB;
  // a GLOB `*` also crosses dots, hence the exact check for inner `*` segments.
  for (const pattern of wildcards) {
    alternatives.push('type GLOB ?');
    plan.params.push(pattern);
  }
  plan.conditions.push(alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(' OR ')})`);
  const isApproximate = wildcards.some((p) => p.split('.').slice(0, -1).includes('*'));
  if (isApproximate) {
    const matchers = patterns.map(compilePattern);
    plan.typeCheck = (type) => matchers.some((m) => m(type));
  }
}

/** `column = ?` for one value, else membership in a JSON array parameter (one statement shape for any list length). */
function inList(column: string, values: readonly string[], params: SqlValue[]): string {
  if (values.length === 1) {
    params.push(values[0]!);
    return `${column} = ?`;
  }
  params.push(JSON.stringify(values));
  return `${column} IN (SELECT value FROM json_each(?))`;
}

function timeMs(iso: string, path: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new HeraldError('invalid_params', `${path} "${iso.slice(0, 40)}" is not an ISO 8601 time`, { path });
  return ms;
}

/**
 * Translates everything of a history query that SQL can decide. `filters`
 * and `cursor` are not read: the caller's predicate and the store's paging
 * handle them.
 * @throws HeraldError `invalid_params` for a malformed type pattern or time.
 */
export function planHistory(query: HistoryQuery): HistoryPlan {
  const plan: HistoryPlan = {
    conditions: [],
    params: [],
    typeCheck: undefined,
    textMatch: undefined,
  };
  const { conditions, params } = plan;
  if (query.types?.length) typeConditions(query.types, plan);
  if (query.sources?.length) conditions.push(inList('source', query.sources, params));
  if (query.severity?.length) conditions.push(inList('severity', query.severity, params));
  if (query.priority?.length) conditions.push(inList('priority', query.priority, params));
  if (query.categories?.length) conditions.push(inList('category', query.categories, params));
  if (query.search) {
    // `->` renders data as JSON text, as JSON.stringify does; LIKE folds ASCII case only.
    conditions.push(`(type LIKE ? ESCAPE '\\' OR source LIKE ? ESCAPE '\\' OR (json -> '$.data') LIKE ? ESCAPE '\\')`);
    const like = `%${escapeLike(query.search)}%`;
    params.push(like, like, like);
    plan.textMatch = trigramMatch(query.search);
  }
  if (query.since_time !== undefined) {
    conditions.push('time_ms >= ?');
    params.push(timeMs(query.since_time, 'since'));
  }
  if (query.until_time !== undefined) {
    conditions.push('time_ms <= ?');
    params.push(timeMs(query.until_time, 'until'));
  }
  if (query.after_seq !== undefined) {
    conditions.push('seq > ?');
    params.push(query.after_seq);
  }
  if (query.correlation_id !== undefined) {
    conditions.push('correlation_id = ?');
    params.push(query.correlation_id);
  }
  if (query.org !== undefined) {
    conditions.push('org = ?');
    params.push(query.org);
  }
  return plan;
}
