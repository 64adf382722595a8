import type { MetricsSnapshot as FullSnapshot } from '@herald/protocol';
import { Store } from './store';

/** The `metrics` system event's data and `GET /api/metrics` (DESIGN.md §5). */
/** The `metrics` event's data; optional fields tolerate an older server. */
export type MetricsSnapshot = Partial<Pick<FullSnapshot, 'subscriptions' | 'slow_consumers_closed' | 'store_size_bytes' | 'rates' | 'delivery_latency_ms' | 'process'>> &
  Omit<FullSnapshot, 'subscriptions' | 'slow_consumers_closed' | 'store_size_bytes' | 'rates' | 'delivery_latency_ms' | 'process'>;

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
