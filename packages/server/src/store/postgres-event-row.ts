import type { HeraldEvent } from '@herald/protocol';
import { HeraldError } from '../errors/herald-error.js';

/** An event as the columns of one `events` row (see postgres-schema.ts). */
export interface PostgresEventRow {
  seq: number;
  id: string;
  type: string;
  category: string;
  source: string;
  time: string;
  timeMs: number;
  severity: string;
  priority: string;
  correlationId: string | null;
  org: string | null;
  /** 1-based position of the JSON text of `data` inside `json`, in characters (code points). */
  dataAt: number;
  /** Length of that text in characters; 0 when the event has no `data`. */
  dataChars: number;
  /** `JSON.stringify(event)`. */
  json: string;
  /** The text to cast to JSONB when it cannot be `json` itself, else null (see {@link jsonbSafe}). */
  jsonbText: string | null;
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
 * JSONB cannot hold U+0000 (`\u0000` fails the cast), which a JSON string
 * may contain. Such text gets U+FFFD in the JSONB copy only; `json`, which
 * reads return, keeps the event unchanged. Escaped backslashes are skipped
 * so that a literal `\\u0000` in the text is left alone.
 */
export function jsonbSafe(json: string): string | null {
  if (!json.includes('\\u0000')) return null;
  return json.replace(/\\(\\|u0000)/g, (match, escaped: string) => (escaped === '\\' ? match : '\\ufffd'));
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

/** True for text PostgreSQL's `text` type rejects: it cannot store U+0000. */
function hasNul(value: string | undefined): boolean {
  return value !== undefined && value.includes('\0');
}

/**
 * The row for an event, serialised now so that a caller changing its object
 * later cannot change what is stored.
 * @throws HeraldError `invalid_event` for a time that is not ISO 8601, or a
 * U+0000 in a column PostgreSQL keeps as text (the store would otherwise
 * fail the whole group commit it joined).
 */
export function toRow(event: HeraldEvent): PostgresEventRow {
  const timeMs = Date.parse(event.time);
  if (Number.isNaN(timeMs)) {
    throw new HeraldError('invalid_event', `event ${event.id}: time "${String(event.time).slice(0, 40)}" is not an ISO 8601 time`, {
      path: 'time',
    });
  }
  for (const field of ['id', 'type', 'category', 'source', 'time', 'severity', 'priority', 'correlation_id', 'org'] as const) {
    if (hasNul(event[field])) {
      throw new HeraldError('invalid_event', `event ${event.id.replace(/\0/g, '')}: ${field} contains U+0000, which the store cannot keep`, {
        path: field,
      });
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
    timeMs,
    severity: event.severity,
    priority: event.priority,
    correlationId: event.correlation_id ?? null,
    org: event.org ?? null,
    dataAt,
    dataChars,
    json,
    jsonbText: jsonbSafe(json),
  };
}
