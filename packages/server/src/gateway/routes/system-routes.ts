import type { FastifyInstance } from 'fastify';
import type { Bus } from '../../bus/bus.js';
import type { Metrics } from '../../metrics/metrics.js';
import type { StoreState } from '../../hub/publisher.js';
import type { EventStore } from '../../store/event-store.js';

export interface SystemRoutesDeps {
  version: string;
  startedAtMs: number;
  store: EventStore;
  bus: Bus;
  metrics: Metrics;
  activeConnections(): number;
  isReady(): boolean;
  /** Whether publishes reach the store, as the publisher last found. */
  storeState(): StoreState;
}

/** Health (public), JSON metrics and Prometheus metrics. */
export function registerSystemRoutes(app: FastifyInstance, deps: SystemRoutesDeps): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and readiness: 200 healthy; 503 degraded (store or bus down, publishes refused) or unavailable (starting, stopping)',
        security: [],
      },
    },
    async (_req, reply) => {
      const [storeProbe, busOk] = await Promise.all([deps.store.isHealthy().catch(() => false), deps.bus.isHealthy().catch(() => false)]);
      const writes = deps.storeState();
      const storeOk = storeProbe && writes.isWritable;
      const status = !deps.isReady() ? 'unavailable' : storeOk && busOk ? 'healthy' : 'degraded';
      const store: Record<string, unknown> = { status: storeOk ? 'ok' : 'down', kind: deps.store.description.split(':')[0] };
      if (!writes.isWritable) Object.assign(store, { reason: writes.reason, since: writes.since });
      else if (!storeProbe) store.reason = 'the store does not answer its health probe';
      return reply.code(status === 'healthy' ? 200 : 503).send({
        status,
        timestamp: new Date().toISOString(),
        version: deps.version,
        uptime_s: Math.round((Date.now() - deps.startedAtMs) / 1000),
        active_connections: deps.activeConnections(),
        store,
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
