import type { Filters } from './filters.js';
import type { Priority, Severity } from './event.js';

/**
 * A history query as a client sends it: the fields of
 * `GET /api/events/history` (comma lists there), of the
 * `POST /api/events/filter` body and of the WS `history` action. Results are
 * newest first; pass a page's `next_cursor` as `cursor` for the next, older
 * page. `normalizeHistoryQuery` reads it.
 */
export interface HistoryQueryInput {
  /** Page size, 1 to 1,000; default 100. */
  limit?: number;
  /** Type patterns, as in a subscription. */
  types?: string[];
  /** Alias of `types` (the POST body's name). */
  event_types?: string[];
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

/** A key and how many events had it. */
export interface KeyCount {
  key: string;
  count: number;
}

/** `GET /api/events/stats`: counts over a window, for charts. */
export interface EventStats {
  from: string;
  to: string;
  bucket_s: number;
  total: number;
  /** One entry per bucket, oldest first, including empty buckets. */
  timeline: Array<{ time: string; count: number }>;
  by_type: KeyCount[];
  by_severity: KeyCount[];
  by_priority: KeyCount[];
  by_source: KeyCount[];
  by_category: KeyCount[];
}

/** `GET /api/metrics`, and the data of the `metrics` system event. */
export interface MetricsSnapshot {
  timestamp: string;
  uptime_s: number;
  active_connections: number;
  total_connections: number;
  subscriptions: number;
  events_published: number;
  events_sent: number;
  events_dropped: number;
  slow_consumers_closed: number;
  /** Events refused with `store_unavailable` since start (not acknowledged; their publishers retry). */
  publishes_refused: number;
  /** False while the event store cannot take writes (`/health` says why). */
  store_writable: boolean;
  last_activity: string | null;
  event_history_size: number;
  store_size_bytes: number | null;
  rates: { published_per_s: number; sent_per_s: number };
  /** From accepting an event to handing its frames to every local connection, ms. */
  delivery_latency_ms: { p50: number; p90: number; p99: number; max: number };
  process: { rss_bytes: number; heap_used_bytes: number; cpu_user_ms: number; cpu_system_ms: number };
}
