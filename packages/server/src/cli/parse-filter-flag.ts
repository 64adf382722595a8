import type { FilterOperators, FilterValue, Filters, Scalar } from '@herald/protocol';

/**
 * `herald tail --filter` syntax, one condition per flag (all must hold):
 *
 * | flag | filter |
 * | --- | --- |
 * | `severity=error` | `{"severity": "error"}` |
 * | `severity=error,critical` | `{"severity": ["error", "critical"]}` (any of) |
 * | `source!=ci` / `source!=a,b` | `{"ne": "ci"}` / `{"nin": ["a", "b"]}` |
 * | `data.latency_ms>=500` (also `>`, `<=`, `<`) | `{"gte": 500}` |
 * | `data.message~=timeout` | `{"contains": "timeout"}` |
 * | `data.path^=/api` | `{"prefix": "/api"}` |
 * | `data.user?` / `!data.user` | `{"exists": true}` / `{"exists": false}` |
 *
 * Values of `data.*` and registry filter keys are typed: `500` is a number,
 * `true`, `false` and `null` are literals, anything else is a string; quote a
 * value as JSON (`code="404"`) to keep it a string and to keep its commas.
 * The event's own text fields (`type`, `source`, `severity`, `priority`,
 * `org`, `correlation_id`, `id`, `category`) and `search` are always strings.
 * Two flags on one key combine (`x>=1 x<9` is `{"gte": 1, "lt": 9}`).
 */
export type FilterFlagResult = { ok: true; filters: Filters } | { ok: false; problem: string };

const KEY = '[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*';
const CONDITION = new RegExp(`^(${KEY})\\s*(!=|>=|<=|~=|\\^=|=|>|<)(.*)$`, 's');
const EXISTS = new RegExp(`^(!?)(${KEY})(\\??)$`);
const TEXT_KEYS = new Set(['type', 'source', 'severity', 'priority', 'org', 'correlation_id', 'id', 'category', 'search']);
const OPERATORS: Record<string, keyof FilterOperators> = { '>=': 'gte', '<=': 'lte', '>': 'gt', '<': 'lt', '~=': 'contains', '^=': 'prefix' };

/** Parses every `--filter` flag into one filters object. */
export function parseFilterFlags(flags: readonly string[]): FilterFlagResult {
  const filters: Filters = {};
  for (const flag of flags) {
    const parsed = parseFilterFlag(flag);
    if (!parsed.ok) return { ok: false, problem: `--filter "${flag}": ${parsed.problem}` };
    const combined = combine(filters[parsed.key], parsed.value);
    if (combined === undefined) return { ok: false, problem: `--filter "${flag}": "${parsed.key}" is already matched by an earlier --filter; give a key one equality, or only comparisons` };
    filters[parsed.key] = combined;
  }
  return { ok: true, filters };
}

/** One `--filter` flag to a key and its filter value. */
export function parseFilterFlag(flag: string): { ok: true; key: string; value: FilterValue } | { ok: false; problem: string } {
  const text = flag.trim();
  const exists = EXISTS.exec(text);
  if (exists && (exists[1] === '!') !== (exists[3] === '?')) return { ok: true, key: exists[2] as string, value: { exists: exists[1] !== '!' } };
  const match = CONDITION.exec(text);
  if (!match) return { ok: false, problem: 'write key=value, key!=value, key>=number (also > <= <), key~=text, key^=prefix, key? or !key' };
  const [, key = '', op = '', rawValue = ''] = match;
  const isText = TEXT_KEYS.has(key);
  if (op === '=' || op === '!=') {
    const values = key === 'search' ? [rawValue] : splitValues(rawValue);
    const typed = values.map((v) => typedValue(v, isText));
    if (typed.length === 0) return { ok: false, problem: 'the value is empty; quote it as "" to match an empty string' };
    if (op === '=') return { ok: true, key, value: typed.length === 1 ? (typed[0] as Scalar) : typed };
    return { ok: true, key, value: typed.length === 1 ? { ne: typed[0] as Scalar } : { nin: typed } };
  }
  const operator = OPERATORS[op] as keyof FilterOperators;
  const value = typedValue(rawValue.trim(), isText || operator === 'contains' || operator === 'prefix');
  if (typeof value !== 'string' && typeof value !== 'number') return { ok: false, problem: `${op} needs a number or a text value` };
  return { ok: true, key, value: { [operator]: value } };
}

/** Splits on commas outside a JSON-quoted value. */
function splitValues(raw: string): string[] {
  const value = raw.trim();
  if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) return [value];
  return value.split(',').map((v) => v.trim()).filter((v) => v.length > 0);
}

function typedValue(raw: string, isText: boolean): Scalar {
  if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) {
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw;
    }
  }
  if (isText) return raw;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (raw === 'null') return null;
  // JSON's number grammar: "007" and "1e" stay text.
  if (/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw);
  return raw;
}

/** Two conditions on one key: comparisons merge; an equality cannot be combined. */
function combine(previous: FilterValue | undefined, next: FilterValue): FilterValue | undefined {
  if (previous === undefined) return next;
  const isOperators = (v: FilterValue): v is FilterOperators => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isOperators(previous) || !isOperators(next)) return undefined;
  if (Object.keys(next).some((k) => k in previous)) return undefined;
  return { ...previous, ...next };
}
