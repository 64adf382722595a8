import { z } from 'zod';
import { PRIORITIES, SEVERITIES, type Priority, type Severity } from './event.js';
import { type Filters, filtersSchema, typePatternSchema } from './filters.js';
import { describeProblems, problemsFromZod } from './issues.js';
import { type DecodeResult, fail, ok } from './result.js';

/** Default and largest history page, in events. */
export const DEFAULT_HISTORY_LIMIT = 100;
export const MAX_HISTORY_LIMIT = 1000;

/**
 * A history query, normalised. Results are newest first; `cursor` continues
 * where the previous page's `next_cursor` left off.
 */
export interface HistoryQuery {
  limit: number;
  /** Type patterns, as in a subscription. */
  types?: string[];
  sources?: string[];
  severity?: Severity[];
  priority?: Priority[];
  categories?: string[];
  /** Case-insensitive text match over type, source and data. */
  search?: string;
  /** Events at or after this ISO time. */
  since_time?: string;
  /** Events with a seq strictly greater than this. */
  after_seq?: number;
  /** Events at or before this ISO time. */
  until_time?: string;
  correlation_id?: string;
  org?: string;
  /** Extra filters in the subscription filter language. */
  filters?: Filters;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter(Boolean);
    return v;
  }, z.array(item, { error: 'must be a comma-separated list or an array' }));

const timeOrSeq = z.union([z.number(), z.string()], { error: 'must be a seq number or an ISO 8601 time' });

/** The query as sent: GET query-string fields and the POST body names (`event_types`, `time_range`, …). */
export const historyQueryInputSchema = z.looseObject({
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_HISTORY_LIMIT, `must be at most ${MAX_HISTORY_LIMIT}`)
    .optional(),
  types: listOf(typePatternSchema).optional(),
  event_types: listOf(typePatternSchema).optional(),
  sources: listOf(z.string()).optional(),
  source: listOf(z.string()).optional(),
  severity: listOf(z.enum(SEVERITIES, { error: `must be among ${SEVERITIES.join(', ')}` })).optional(),
  priority: listOf(z.enum(PRIORITIES, { error: `must be among ${PRIORITIES.join(', ')}` })).optional(),
  categories: listOf(z.string()).optional(),
  category: listOf(z.string()).optional(),
  search: z.string().max(200, 'must be at most 200 characters').optional(),
  since: timeOrSeq.optional(),
  until: z.string().optional(),
  time_range: z.string().optional(),
  cursor: z.string().max(200).optional(),
  correlation_id: z.string().max(200).optional(),
  org: z.string().max(100).optional(),
  filters: filtersSchema.optional(),
});

const RANGE = /^(\d+)\s*(s|m|h|d|w)$/;
const RANGE_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 604800e3 };

/** Parses `15m`, `1h`, `7d` into milliseconds, or undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const m = RANGE.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * RANGE_MS[m[2]!]!;
}

function isoOrFail(value: string, path: string): DecodeResult<string> {
  const d = new Date(/^\d+$/.test(value) ? Number(value) : value);
  if (Number.isNaN(d.getTime())) {
    return fail('invalid_params', `${path} "${value.slice(0, 40)}" is not an ISO 8601 time such as 2026-11-21T12:00:00Z`, {
      path,
    });
  }
  return ok(d.toISOString());
}

/**
 * Validates and normalises a history query from a query string, a POST
 * body (`event_types, sources, priority, search, time_range`) or a
 * WS `history` action.
 */
export function normalizeHistoryQuery(raw: unknown, now: () => Date = () => new Date()): DecodeResult<HistoryQuery> {
  const parsed = historyQueryInputSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = problemsFromZod(parsed.error);
    return fail('invalid_params', describeProblems(problems), { path: problems[0]?.path, problems });
  }
  const q = parsed.data;
  const out: HistoryQuery = { limit: q.limit ?? DEFAULT_HISTORY_LIMIT };
  const types = q.types ?? q.event_types;
  if (types?.length) out.types = types;
  const sources = q.sources ?? q.source;
  if (sources?.length) out.sources = sources;
  if (q.severity?.length) out.severity = q.severity;
  if (q.priority?.length) out.priority = q.priority;
  const categories = q.categories ?? q.category;
  if (categories?.length) out.categories = categories;
  if (q.search) out.search = q.search;
  if (q.correlation_id) out.correlation_id = q.correlation_id;
  if (q.org) out.org = q.org;
  if (q.cursor) out.cursor = q.cursor;
  if (q.filters && Object.keys(q.filters).length) out.filters = q.filters;
  if (q.since !== undefined) {
    if (typeof q.since === 'number' || /^\d+$/.test(q.since)) {
      const seq = Number(q.since);
      if (!Number.isSafeInteger(seq) || seq < 0) return fail('invalid_params', 'since must be a non-negative seq', { path: 'since' });
      out.after_seq = seq;
    } else {
      const t = isoOrFail(q.since, 'since');
      if (!t.ok) return t;
      out.since_time = t.value;
    }
  }
  if (q.time_range !== undefined) {
    const ms = parseDuration(q.time_range);
    if (ms === undefined) {
      return fail('invalid_params', `time_range "${q.time_range.slice(0, 20)}" must be a number and a unit: s, m, h, d or w (e.g. "1h")`, {
        path: 'time_range',
      });
    }
    const from = new Date(now().getTime() - ms).toISOString();
    if (!out.since_time || out.since_time < from) out.since_time = from;
  }
  if (q.until !== undefined) {
    const t = isoOrFail(q.until, 'until');
    if (!t.ok) return t;
    out.until_time = t.value;
  }
  return ok(out);
}

/** One page of history, newest first. */
export interface HistoryPage<E> {
  events: E[];
  /** Pass as `cursor` for the next (older) page; null when there is none. */
  next_cursor: string | null;
}
