import { type HistoryQuery, TYPE_PATTERN_PATTERN } from '@herald/protocol';
import { HeraldError } from '../errors/herald-error.js';
import { isStorableText } from './postgres-event-row.js';
import { SEARCH_TEXT_SQL } from './postgres-schema.js';
import { escapeLike } from './sqlite-history-query.js';

/**
 * Binds values as `$n` placeholders: `bind(v)` appends `v` to `params` and
 * returns its placeholder, so conditions and parameters cannot drift apart.
 */
export function binder(params: unknown[]): (value: unknown) => string {
  return (value) => `$${params.push(value)}`;
}

/**
 * A type pattern as an anchored POSIX regular expression: `*` alone matches
 * every type, a trailing `.*` any depth below its prefix, an inner `*`
 * segment exactly one segment. Segments hold only `[A-Za-z0-9_-]`, none of
 * them special in a regex outside brackets, so only the dots need escaping.
 * The literal prefix lets PostgreSQL walk the "C"-collated `type` index.
 */
export function typePatternRegex(pattern: string): string {
  const segments = pattern.split('.');
  const body = segments.map((segment, i) => (segment !== '*' ? segment : i === segments.length - 1 ? '.+' : '[^.]+')).join('\\.');
  return `^${body}$`;
}

/** Type-pattern conditions, exact in SQL: names as `= ANY`, wildcards as one regex each. */
function typeCondition(patterns: readonly string[], bind: (value: unknown) => string): string | undefined {
  for (const pattern of patterns) {
    if (!TYPE_PATTERN_PATTERN.test(pattern)) {
      throw new HeraldError(
        'invalid_params',
        `types: "${pattern.slice(0, 60)}" is not a type pattern such as "claude.*" or "repo.*.created"`,
        { path: 'types' },
      );
    }
  }
  if (patterns.includes('*')) return undefined;
  const exact = patterns.filter((p) => !p.includes('*'));
  const alternatives: string[] = [];
  if (exact.length > 0) alternatives.push(inList('type', exact, bind));
  // One `~` per pattern rather than one alternation: each keeps its own literal prefix for the index.
  for (const pattern of patterns.filter((p) => p.includes('*'))) alternatives.push(`type ~ ${bind(typePatternRegex(pattern))}`);
  return alternatives.length === 1 ? alternatives[0] : `(${alternatives.join(' OR ')})`;
}

function inList(column: string, values: readonly string[], bind: (value: unknown) => string): string {
  return values.length === 1 ? `${column} = ${bind(values[0])}` : `${column} = ANY(${bind(values)}::text[])`;
}

function timeMs(iso: string, path: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new HeraldError('invalid_params', `${path} "${iso.slice(0, 40)}" is not an ISO 8601 time`, { path });
  return ms;
}

/**
 * Translates every field of a history query into conditions to AND, binding
 * their values through `bind`. Unlike SQLite's GLOB, the type regexes are
 * exact, so no row needs a second check in JavaScript. `filters` and `cursor`
 * are not read: the caller's predicate and the store's paging handle them.
 *
 * `search` is `ILIKE` over the type, the source and the JSON text of `data`
 * exactly as `JSON.stringify` wrote it (see `data_at` in postgres-schema.ts),
 * with `%`, `_` and `\` matched literally.
 * @throws HeraldError `invalid_params` for a malformed type pattern or time,
 * or text PostgreSQL cannot bind (U+0000, a lone surrogate).
 */
export function planHistory(query: HistoryQuery, bind: (value: unknown) => string): string[] {
  for (const field of ['sources', 'severity', 'priority', 'categories', 'search', 'correlation_id', 'org'] as const) {
    const values = query[field];
    // PostgreSQL refuses such text as a parameter; no stored event could match it anyway.
    if ((Array.isArray(values) ? values : [values]).some((v) => typeof v === 'string' && !isStorableText(v))) {
      throw new HeraldError('invalid_params', `${field} holds U+0000 or a lone surrogate`, { path: field });
    }
  }
  const conditions: string[] = [];
  const types = query.types?.length ? typeCondition(query.types, bind) : undefined;
  if (types) conditions.push(types);
  if (query.sources?.length) conditions.push(inList('source', query.sources, bind));
  if (query.severity?.length) conditions.push(inList('severity', query.severity, bind));
  if (query.priority?.length) conditions.push(inList('priority', query.priority, bind));
  if (query.categories?.length) conditions.push(inList('category', query.categories, bind));
  if (query.search) {
    const like = bind(`%${escapeLike(query.search)}%`);
    // The first ILIKE can use the trigram index; the fields' own ILIKEs keep a match from spanning two fields.
    conditions.push(
      `${SEARCH_TEXT_SQL} ILIKE ${like} ESCAPE '\\'`,
      `(type ILIKE ${like} ESCAPE '\\' OR source ILIKE ${like} ESCAPE '\\' OR substr(json, data_at, data_chars) ILIKE ${like} ESCAPE '\\')`,
    );
  }
  if (query.since_time !== undefined) conditions.push(`time_ms >= ${bind(timeMs(query.since_time, 'since'))}`);
  if (query.until_time !== undefined) conditions.push(`time_ms <= ${bind(timeMs(query.until_time, 'until'))}`);
  if (query.after_seq !== undefined) conditions.push(`seq > ${bind(query.after_seq)}`);
  if (query.correlation_id !== undefined) conditions.push(`correlation_id = ${bind(query.correlation_id)}`);
  if (query.org !== undefined) conditions.push(`org = ${bind(query.org)}`);
  return conditions;
}
