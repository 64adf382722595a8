import type { FastifyInstance } from 'fastify';
import type { Bus } from '../../bus/bus.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { EventStore } from '../../store/event-store.js';

export interface SystemRoutesDeps {
  version: string;
  startedAtMs: number;
  store: EventStore;
  bus: Bus;
  metrics: Metrics;
  activeConnections(): number;
  isReady(): boolean;
}

/** Health (public), JSON metrics and Prometheus metrics. */
export function registerSystemRoutes(app: FastifyInstance, deps: SystemRoutesDeps): void {
  app.get(
    '/health',
    { schema: { tags: ['system'], summary: 'Liveness and readiness; 503 when not ready', security: [] } },
    async (_req, reply) => {
      const [storeOk, busOk] = await Promise.all([deps.store.isHealthy().catch(() => false), deps.bus.isHealthy().catch(() => false)]);
      const ready = deps.isReady() && storeOk && busOk;
      return reply.code(ready ? 200 : 503).send({
        status: ready ? 'healthy' : 'unavailable',
        timestamp: new Date().toISOString(),
        version: deps.version,
        uptime_s: Math.round((Date.now() - deps.startedAtMs) / 1000),
        active_connections: deps.activeConnections(),
        store: {
          status: storeOk ? 'ok' : 'down',
          kind: deps.store.description.split(':')[0],
          ...(deps.store.textIndexLagEvents ? { text_index_lag_events: deps.store.textIndexLagEvents() } : {}),
        },
        bus: { status: busOk ? 'ok' : 'down', kind: deps.bus.description.split(':')[0] },
      });
    },
  );
  app.get('/api/metrics', { schema: { tags: ['system'], summary: 'Counters, rates and delivery latency as JSON' } }, async () => deps.metrics.snapshot());
  app.get('/metrics', { schema: { tags: ['system'], summary: 'Prometheus exposition' } }, async (_req, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}
