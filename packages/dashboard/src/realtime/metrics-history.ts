import { Store } from './store';

/** The `metrics` system event's data and `GET /api/metrics` (DESIGN.md §5). */
export interface MetricsSnapshot {
  timestamp: string;
  uptime_s: number;
  active_connections: number;
  total_connections: number;
  subscriptions?: number;
  events_published: number;
  events_sent: number;
  events_dropped: number;
  slow_consumers_closed?: number;
  last_activity: string | null;
  event_history_size: number;
  store_size_bytes?: number | null;
  rates?: { published_per_s: number; sent_per_s: number };
  delivery_latency_ms?: { p50: number; p90: number; p99: number; max: number };
  process?: { rss_bytes: number; heap_used_bytes: number; cpu_user_ms: number; cpu_system_ms: number };
}

/** Snapshots kept for the sparklines: 120 at the default 5 s interval is the last 10 minutes. */
const KEEP = 120;

export function isMetricsSnapshot(value: unknown): value is MetricsSnapshot {
  return typeof value === 'object' && value !== null && typeof (value as MetricsSnapshot).events_published === 'number';
}

/** The recent metrics snapshots, oldest first. */
export class MetricsHistory extends Store<readonly MetricsSnapshot[]> {
  constructor() {
    super([]);
  }

  add(snapshot: MetricsSnapshot): void {
    this.update((list) => {
      const last = list[list.length - 1];
      if (last && last.timestamp >= snapshot.timestamp) return list;
      const next = list.length >= KEEP ? list.slice(list.length - KEEP + 1) : list.slice();
      next.push(snapshot);
      return next;
    });
  }
}
