import { useEffect, useState } from 'react';
import type { EventStats, KeyCount } from '@herald/protocol';
import { apiGet } from '../../../lib/api';
import { useMetricsHistory } from '../../../realtime/hooks';
import { useSession } from '../../../realtime/session-context';

export type { EventStats, KeyCount };

export const WINDOWS = [
  { id: '15m', label: '15 minutes', bucket: '15s' },
  { id: '1h', label: '1 hour', bucket: '1m' },
  { id: '6h', label: '6 hours', bucket: '5m' },
  { id: '24h', label: '24 hours', bucket: '15m' },
  { id: '7d', label: '7 days', bucket: '2h' },
] as const;
export type WindowId = (typeof WINDOWS)[number]['id'];

/** Fallback refresh when no `metrics` event arrives (the server may publish none), ms. */
const POLL_MS = 10_000;

/**
 * Counts over the chosen window. Refreshed whenever the server's periodic
 * `metrics` event arrives (so the charts move with the traffic) and on a
 * slower timer otherwise.
 */
export function useStats(windowId: WindowId) {
  const session = useSession();
  const metrics = useMetricsHistory();
  const heartbeat = metrics[metrics.length - 1]?.timestamp;
  const [tick, setTick] = useState(0);
  const [state, setState] = useState<{ data?: EventStats; error?: Error; isLoading: boolean }>({ isLoading: true });

  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    const window = WINDOWS.find((w) => w.id === windowId) ?? WINDOWS[1];
    setState((s) => ({ ...s, isLoading: true }));
    apiGet<EventStats>(session.token, '/api/events/stats', { window: window.id, bucket: window.bucket, top: 10 }, controller.signal).then(
      (data) => setState({ data, isLoading: false }),
      (error: Error) => {
        if (error.name !== 'AbortError') setState((s) => ({ ...s, error, isLoading: false }));
      },
    );
    return () => controller.abort();
  }, [session, windowId, heartbeat, tick]);

  return state;
}
