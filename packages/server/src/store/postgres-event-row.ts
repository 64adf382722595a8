import type { HeraldEvent } from '@herald/protocol';
import { HeraldError } from '../errors/herald-error.js';

/**
 * An event as the columns of one `events` row (see postgres-schema.ts),
 * named as the columns are so that a batch travels as one JSON parameter.
 */
export interface PostgresEventRow {
  seq: number;
  id: string;
  type: string;
  category: string;
  source: string;
  time: string;
  time_ms: number;
  severity: string;
  priority: string;
  correlation_id: string | null;
  org: string | null;
  /** 1-based position of the JSON text of `data` inside `json`, in characters (code points). */
  data_at: number;
  /** Length of that text in characters; 0 when the event has no `data`. */
  data_chars: number;
  /** `JSON.stringify(event)`. */
  json: string;
  /** The text to cast to JSONB when it cannot be `json` itself, else null (see {@link jsonbSafe}). */
  jsonb_text: string | null;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Length in code points, as PostgreSQL counts characters. JSON.stringify
 * escapes lone surrogates, so every surrogate in its output is half a pair.
 */
function codePoints(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) pairs++;
  }
  return text.length - pairs;
}

/**
 * JSONB cannot hold U+0000 or a lone surrogate (`\u0000` and `\ud800` fail
 * the cast), both of which JSON text may carry; JSON.stringify writes lone
 * surrogates escaped and pairs as they are, so any `\ud800`-`\udfff`
 * escape in its output is a lone one. Such text gets U+FFFD in the JSONB
 * copy only; `json`, which reads return, keeps the event unchanged. Escaped
 * backslashes are consumed first, so a literal `\\u0000` is left alone.
 * Returns null when the text casts as it is.
 */
export function jsonbSafe(json: string): string | null {
  if (!/\\u(?:0000|d[89a-f])/.test(json)) return null;
  return json.replace(/\\(\\|u0000|ud[89a-f][0-9a-f]{2})/g, (match, escaped: string) => (escaped === '\\' ? match : '\\ufffd'));
}

/**
 * `JSON.stringify(event)`, built member by member so that the position of
 * `data`'s text inside it is known. The result is the same text: members in
 * own-key order, those whose value does not serialise left out.
 */
function serialise(event: HeraldEvent): { json: string; dataAt: number; dataChars: number } {
  let json = '{';
  let dataAt = 1;
  let dataChars = 0;
  for (const key of Object.keys(event)) {
    const value = JSON.stringify((event as unknown as Record<string, unknown>)[key]);
    if (value === undefined) continue;
    if (json.length > 1) json += ',';
    json += `${JSON.stringify(key)}:`;
    if (key === 'data') {
      dataAt = codePoints(json) + 1;
      dataChars = codePoints(value);
    }
    json += value;
  }
  return { json: `${json}}`, dataAt, dataChars };
}

/** U+0000, or half a surrogate pair: text PostgreSQL's `text` type (UTF-8) cannot hold. */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** False for text no `text` column can hold, so no stored id can equal it (and binding it would fail). */
export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * The row for an event, serialised now so that a caller changing its object
 * later cannot change what is stored.
 * @throws HeraldError `invalid_event` for a time that is not ISO 8601, or
 * U+0000 or a lone surrogate in a field PostgreSQL keeps as text (the store
 * would otherwise fail the whole group commit it joined). Inside `data`
 * both are fine: `json` holds them escaped.
 */
export function toRow(event: HeraldEvent): PostgresEventRow {
  const timeMs = Date.parse(event.time);
  if (Number.isNaN(timeMs)) {
    throw new HeraldError('invalid_event', `event ${event.id}: time "${String(event.time).slice(0, 40)}" is not an ISO 8601 time`, {
      path: 'time',
    });
  }
  for (const field of ['id', 'type', 'category', 'source', 'time', 'severity', 'priority', 'correlation_id', 'org'] as const) {
    const value = event[field];
    if (value !== undefined && !isStorableText(value)) {
      throw new HeraldError(
        'invalid_event',
        `event ${JSON.stringify(event.id.slice(0, 60))}: ${field} holds U+0000 or a lone surrogate, which the store cannot keep`,
        {
          path: field,
        },
      );
    }
  }
  const { json, dataAt, dataChars } = serialise(event);
  return {
    seq: event.seq,
    id: event.id,
    type: event.type,
    category: event.category,
    source: event.source,
    time: event.time,
    time_ms: timeMs,
    severity: event.severity,
    priority: event.priority,
    correlation_id: event.correlation_id ?? null,
    org: event.org ?? null,
    data_at: dataAt,
    data_chars: dataChars,
    json,
    jsonb_text: jsonbSafe(json),
  };
}

/** The columns an append writes, as `json_to_recordset` reads them from a batch of rows. */
const COLUMNS = [
  ['seq', 'bigint'],
  ['id', 'text'],
  ['type', 'text'],
  ['category', 'text'],
  ['source', 'text'],
  ['time', 'text'],
  ['time_ms', 'bigint'],
  ['severity', 'text'],
  ['priority', 'text'],
  ['correlation_id', 'text'],
  ['org', 'text'],
  ['data_at', 'int'],
  ['data_chars', 'int'],
  ['json', 'text'],
  ['jsonb_text', 'text'],
] as const satisfies ReadonlyArray<readonly [keyof PostgresEventRow, string]>;

/**
 * One multi-row INSERT whatever the batch size: the rows travel as one JSON
 * array parameter, so the statement text never changes, no batch meets
 * PostgreSQL's 65,535-parameter limit, and serialising is one native
 * `JSON.stringify` (pg's own array encoding measured several times slower).
 * `ORDER BY ord` keeps the first of two rows sharing an id, as the contract asks.
 *
 * The same statement claims each seq in `seq_claims`, whose primary key is
 * the fence of a cluster: a node that gave up waiting for a seq claims it
 * first (see `PostgresEventStore.settle`), and an append of that seq then
 * fails with a unique violation instead of committing an event the other
 * nodes already skipped. Writing a batch again whose first commit did land
 * (its outcome was unknown) finds its own events there and passes.
 */
export function insertRowsSql(schema: string): string {
  const names = COLUMNS.map(([name]) => name);
  const stored = names.filter((name) => name !== 'jsonb_text');
  return `WITH r AS (
  SELECT * FROM ROWS FROM (json_to_recordset($1::json) AS (${COLUMNS.map(([name, type]) => `${name} ${type}`).join(', ')}))
    WITH ORDINALITY AS r(${names.join(', ')}, ord)
), claimed AS (
  INSERT INTO ${schema}.seq_claims (seq) SELECT seq FROM r ON CONFLICT (seq) DO NOTHING RETURNING seq
), refused AS (
  -- Claimed before, and not by this very event: claiming it again raises the unique violation.
  INSERT INTO ${schema}.seq_claims (seq) SELECT r.seq FROM r
  WHERE NOT EXISTS (SELECT 1 FROM claimed c WHERE c.seq = r.seq)
    AND NOT EXISTS (SELECT 1 FROM ${schema}.events e WHERE e.seq = r.seq AND e.id = r.id)
)
INSERT INTO ${schema}.events (${stored.join(', ')}, event)
SELECT ${stored.join(', ')}, COALESCE(jsonb_text, json)::jsonb
FROM r
ORDER BY ord
ON CONFLICT (id) DO NOTHING`;
}

/** A seq of the append was settled as empty by another node (see `PostgresEventStore.settle`). */
function isSettledSeqConflict(err: unknown): boolean {
  return isConstraintError(err) && (err as { constraint?: unknown }).constraint === 'seq_claims_pkey';
}

/** SQLSTATE class 23: a unique, check or other integrity constraint refused the rows. */
export function isConstraintError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('23');
}

/** Wraps a PostgreSQL failure as the request error its callers see, keeping the original as `cause`. */
export function storeError(err: unknown): HeraldError {
  const code = (err as { code?: unknown } | undefined)?.code;
  const message = err instanceof Error ? err.message : String(err);
  const wrapped = isSettledSeqConflict(err)
    ? // The other nodes gave these seqs up while this append waited: nothing was stored, a retry gets new seqs.
      new HeraldError('bus_unavailable', 'the cluster gave up waiting for these events while the store was slow; nothing was acknowledged, try again', {
        sqlstate: code,
        retry_after_ms: 1_000,
      })
    : isConstraintError(err)
      ? new HeraldError('internal_error', `the events conflict with stored ones (${message})`, { sqlstate: code })
      : new HeraldError('store_unavailable', `the event store could not commit: ${message}`, { sqlstate: code });
  wrapped.cause = err;
  return wrapped;
}
