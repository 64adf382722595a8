import type { HeraldEvent } from '@herald/protocol';

/** Health checks kept per server for the sparkline. */
export const LATENCY_POINTS = 60;

/** Latency of the last health checks of each server, oldest first: seconds since the epoch and ms. */
export type LatencyHistory = Readonly<Record<string, { times: readonly number[]; values: readonly number[] }>>;

/** Adds `mcp_health_check` events (any order, repeats ignored) to the history, keeping the last LATENCY_POINTS per server. */
export function addHealthChecks(history: LatencyHistory, events: readonly HeraldEvent[]): LatencyHistory {
  const next: Record<string, { times: number[]; values: number[] }> = {};
  for (const [name, series] of Object.entries(history)) next[name] = { times: [...series.times], values: [...series.values] };
  const sorted = [...events].filter((e) => e.type === 'mcp_health_check').sort((a, b) => a.seq - b.seq);
  for (const event of sorted) {
    const data = event.data as { mcp_name?: unknown; latency_ms?: unknown };
    if (typeof data.mcp_name !== 'string' || typeof data.latency_ms !== 'number') continue;
    const series = (next[data.mcp_name] ??= { times: [], values: [] });
    const t = Date.parse(event.time) / 1000;
    if (series.times.length > 0 && t < (series.times[series.times.length - 1] as number)) continue;
    series.times.push(t);
    series.values.push(data.latency_ms);
    if (series.times.length > LATENCY_POINTS) {
      series.times.splice(0, series.times.length - LATENCY_POINTS);
      series.values.splice(0, series.values.length - LATENCY_POINTS);
    }
  }
  return next;
}
