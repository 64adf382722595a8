import type { MetricsSnapshot } from '@herald/protocol';
import type { Tool } from './tool.js';

/**
 * `metrics.get`: the `GET /api/metrics` snapshot over the socket (also the
 * `request_metrics` action). Modules add their sections (KV totals, MCP
 * servers) through `sections`.
 */
export function metricsTools(deps: { snapshot(): Promise<MetricsSnapshot>; sections?: () => Promise<Record<string, unknown>> }): Tool[] {
  return [
    {
      name: 'metrics.get',
      description: "The server's metrics: connections, events published and sent, rates, latency percentiles",
      inputSchema: { type: 'object', properties: {}, additionalProperties: false },
      async run() {
        const snapshot = await deps.snapshot();
        const extra = deps.sections ? await deps.sections() : {};
        return { ...snapshot, ...extra, lastUpdated: new Date().toISOString() };
      },
    },
  ];
}
