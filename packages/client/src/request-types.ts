import type { Filters, Priority, Severity } from '@herald/protocol';

/**
 * A history query as the server reads it (the fields of
 * `GET /api/events/history`). Results are newest first; pass a page's
 * `next_cursor` as `cursor` for the next, older page.
 */
export interface HistoryRequest {
  /** Page size, 1 to 1,000; default 100. */
  limit?: number;
  /** Type patterns, as in a subscription. */
  types?: string[];
  sources?: string[];
  severity?: Severity[];
  priority?: Priority[];
  categories?: string[];
  /** Case-insensitive text match over type, source and data. */
  search?: string;
  /** A seq (events after it) or an ISO time (events at or after it). */
  since?: number | string;
  /** An ISO time: events at or before it. */
  until?: string;
  /** A window back from now: `15m`, `1h`, `7d`. */
  time_range?: string;
  correlation_id?: string;
  org?: string;
  /** Extra filters in the subscription filter language. */
  filters?: Filters;
  cursor?: string;
}

/** The result of {@link HeraldClient.ping}. */
export interface PingResult {
  /** Round trip, in ms. */
  rttMs: number;
  /** The server's clock when it answered, ISO 8601. */
  serverTime: string;
}

/** The result of {@link HeraldClient.contextSwitch}. */
export interface ContextSwitchResult {
  from: string | null;
  to: string;
  context_type: 'organization' | 'user';
}
