import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  type HeraldEvent,
  normalizeHistoryQuery,
  parseDuration,
  publishEventInputSchema,
  splitPublishBody,
  heraldEventSchema,
} from '@herald/protocol';
import { isAdmin } from '../../auth/identity.js';
import { HeraldError } from '../../errors/herald-error.js';
import type { HistoryService } from '../../history/history-service.js';
import type { Publisher } from '../../hub/publisher.js';
import type { EventRegistry } from '../../registry/event-registry.js';
import type { EventStore } from '../../store/event-store.js';
import { fromBinaryMode } from '../cloudevents.js';
import type { PublishRateLimiter } from '../publish-rate-limiter.js';
import { identityOf } from '../http-app.js';

export interface EventRoutesDeps {
  publisher: Publisher;
  publishLimiter: PublishRateLimiter;
  history: HistoryService;
  store: EventStore;
  registry: EventRegistry;
}

const doc = (schema: z.ZodType) => {
  try {
    return z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  } catch {
    return { type: 'object' };
  }
};

const eventDoc = doc(heraldEventSchema);
const publishDoc = {
  description: 'One event, {"events":[…]} or an array of events. The field names event_type, timestamp, payload and correlationId and CloudEvents 1.0 (structured, batch, or binary mode with ce-* headers) are accepted.',
  oneOf: [doc(publishEventInputSchema), { type: 'object', properties: { events: { type: 'array', items: doc(publishEventInputSchema) } } }],
};
const publishedDoc = {
  202: { type: 'object', properties: { ids: { type: 'array', items: { type: 'string' } }, seqs: { type: 'array', items: { type: 'integer' } }, duplicates: { type: 'array', items: { type: 'string' } } } },
  503: {
    description:
      'store_unavailable: the store cannot take writes; bus_unavailable: the cluster bus (Redis) is unreachable. Nothing was acknowledged either way. Retry with the same ids after Retry-After (seconds).',
    type: 'object',
    properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } } } },
  },
};
const historyQueryDoc = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    types: { type: 'string', description: 'Comma-separated type patterns (claude.*, repo.*.created, agent_request)' },
    sources: { type: 'string' },
    severity: { type: 'string', description: 'Comma-separated: debug,info,success,warning,error,critical' },
    priority: { type: 'string', description: 'Comma-separated: low,normal,high,critical' },
    search: { type: 'string', description: 'Case-insensitive text over type, source and data' },
    since: { type: 'string', description: 'ISO time, or a seq (events after it)' },
    until: { type: 'string', description: 'ISO time' },
    cursor: { type: 'string', description: 'next_cursor of the previous page' },
    correlation_id: { type: 'string' },
    org: { type: 'string' },
  },
};
const historyDoc = { 200: { type: 'object', properties: { events: { type: 'array', items: eventDoc }, next_cursor: { type: ['string', 'null'] } } } };

/** Publish, history, filter, one event, metadata and stats. */
export function registerEventRoutes(app: FastifyInstance, deps: EventRoutesDeps): void {
  const publish = async (req: import('fastify').FastifyRequest, reply: import('fastify').FastifyReply) => {
    const identity = identityOf(req);
    const binary = fromBinaryMode(req.headers, req.body);
    const body: unknown = binary ?? req.body;
    if (Buffer.isBuffer(body) || typeof body === 'string') {
      throw new HeraldError('unsupported_media_type', 'send JSON (application/json or application/cloudevents+json), or CloudEvents binary mode with ce-* headers');
    }
    if (body === undefined || body === null) throw new HeraldError('invalid_event', 'the body is empty: send an event such as {"type":"test","data":{}}');
    const split = splitPublishBody(body);
    if (!split.ok) throw new HeraldError(split.error.code as 'invalid_event', split.error.message, split.error.details);
    deps.publishLimiter.take(identity.id, split.value.items.length);
    const result = await deps.publisher.publish(identity, split.value.items, { isBatch: split.value.isBatch });
    const out: Record<string, unknown> = { ids: result.ids, seqs: result.seqs };
    if (result.duplicates.length > 0) out.duplicates = result.duplicates;
    return reply.code(202).send(out);
  };
  const publishSchema = { tags: ['events'], summary: 'Publish events; 202 once durable', body: publishDoc, response: publishedDoc };
  app.post('/api/events', { schema: publishSchema }, publish);
  app.post('/api/test/publish-event', { schema: { ...publishSchema, summary: 'Alias of POST /api/events (the test-event path some dashboards post to)' } }, publish);

  app.get('/api/events/history', { schema: { tags: ['events'], summary: 'History, newest first', querystring: historyQueryDoc, response: historyDoc } }, async (req) => {
    const q = normalizeHistoryQuery(req.query);
    if (!q.ok) throw new HeraldError(q.error.code as 'invalid_params', q.error.message, q.error.details);
    const identity = identityOf(req);
    return deps.history.query(identity, identity.org, q.value);
  });

  app.post(
    '/api/events/filter',
    {
      schema: {
        tags: ['events'],
        summary: 'History with the query as a JSON body (event_types, sources, priority, search, time_range)',
        body: { type: 'object', properties: { ...historyQueryDoc.properties, event_types: { type: 'array', items: { type: 'string' } }, time_range: { type: 'string', description: '15m, 1h, 7d' }, filters: { type: 'object' } } },
        response: historyDoc,
      },
    },
    async (req) => {
      const q = normalizeHistoryQuery(req.body ?? {});
      if (!q.ok) throw new HeraldError(q.error.code as 'invalid_params', q.error.message, q.error.details);
      const identity = identityOf(req);
      return deps.history.query(identity, identity.org, q.value);
    },
  );

  const metadata = async () => deps.registry.metadata();
  const metadataSchema = { tags: ['registry'], summary: 'Event types, categories and filterable fields' };
  app.get('/api/events/metadata', { schema: metadataSchema }, metadata);
  app.get('/api/v1/events/metadata', { schema: metadataSchema }, metadata);

  app.get(
    '/api/events/stats',
    {
      schema: {
        tags: ['events'],
        summary: 'Counts per time bucket, type, severity, priority, source and category over a window',
        querystring: { type: 'object', properties: { window: { type: 'string', default: '1h' }, bucket: { type: 'string', description: 'Bucket width such as 1m; default window/60' }, top: { type: 'integer', default: 10 } } },
      },
    },
    async (req) => {
      const query = req.query as { window?: string; bucket?: string; top?: string };
      const windowMs = parseDuration(query.window ?? '1h');
      if (windowMs === undefined || windowMs <= 0) throw new HeraldError('invalid_params', 'window must be a duration such as 15m, 1h or 7d', { path: 'window' });
      const bucketMs = query.bucket !== undefined ? parseDuration(query.bucket) : Math.max(1000, Math.round(windowMs / 60));
      if (bucketMs === undefined || bucketMs < 1000) throw new HeraldError('invalid_params', 'bucket must be a duration of at least 1s such as 1m', { path: 'bucket' });
      if (windowMs / bucketMs > 2000) throw new HeraldError('invalid_params', 'window/bucket must give at most 2000 buckets', { path: 'bucket' });
      const top = query.top !== undefined ? Number(query.top) : 10;
      if (!Number.isInteger(top) || top < 1 || top > 100) throw new HeraldError('invalid_params', 'top must be a whole number from 1 to 100', { path: 'top' });
      const now = Date.now();
      const identity = identityOf(req);
      const stats = {
        from: new Date(now - windowMs).toISOString(),
        to: new Date(now).toISOString(),
        bucketS: Math.round(bucketMs / 1000),
        top,
      };
      return deps.store.stats(identity.kind === 'admin' || identity.org === undefined ? stats : { ...stats, org: identity.org });
    },
  );

  app.get('/api/events/:id', { schema: { tags: ['events'], summary: 'One event by id', params: { type: 'object', properties: { id: { type: 'string' } } }, response: { 200: eventDoc } } }, async (req) => {
    const { id } = req.params as { id: string };
    const identity = identityOf(req);
    const event: HeraldEvent | undefined = id.length <= 128 ? await deps.store.get(id) : undefined;
    const visible = event && (event.org === undefined || identity.kind === 'admin' || event.org === identity.org || (isAdmin(identity) && identity.org === undefined));
    if (!event || !visible) throw new HeraldError('not_found', `no event with id "${id.slice(0, 40)}"`, { path: 'id' });
    return event;
  });
}
