import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { describeProblems, problemsFromZod, webhookInputSchema } from '@herald/protocol';
import { isAdmin } from '../../auth/identity.js';
import { HeraldError } from '../../errors/herald-error.js';
import type { WebhookAdmin } from '../../webhooks/webhook-admin.js';
import { identityOf } from '../http-app.js';

const doc = (schema: z.ZodType) => z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;

const webhookDoc = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    url: { type: 'string' },
    event_types: { type: 'array', items: { type: 'string' } },
    filters: { type: 'object' },
    org: { type: 'string' },
    format: { type: 'string', enum: ['herald', 'cloudevents'] },
    maxAttempts: { type: 'integer' },
    timeoutMs: { type: 'integer' },
    description: { type: 'string' },
    has_secret: { type: 'boolean' },
    origin: { type: 'string', enum: ['api', 'config'] },
    status: { type: 'string', enum: ['active', 'paused', 'disabled'] },
    status_reason: { type: 'string' },
    cursor: { type: 'integer', description: 'The last seq handled' },
    created_at: { type: 'string' },
  },
};
const deliveryDoc = {
  type: 'object',
  properties: {
    webhook_id: { type: 'string' },
    event_seq: { type: 'integer' },
    event_id: { type: 'string' },
    event_type: { type: 'string' },
    status: { type: 'string', enum: ['pending', 'delivered', 'dead', 'failed'] },
    attempts: { type: 'integer' },
    response_code: { type: ['integer', 'null'] },
    latency_ms: { type: ['integer', 'null'] },
    error: { type: ['string', 'null'] },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
  },
};
const idParams = { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] };
const deliveriesQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  status: z.enum(['pending', 'delivered', 'dead', 'failed']).optional(),
  before: z.coerce.number().int().positive().optional(),
});
const seqParamSchema = z.coerce.number({ error: 'must be an event seq' }).int('must be a whole number').positive('must be 1 or more');

function parse<T>(schema: z.ZodType<T>, value: unknown, prefix = ''): T {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const problems = problemsFromZod(r.error, prefix);
  throw new HeraldError('invalid_params', describeProblems(problems), { path: problems[0]?.path, problems });
}

/** Outbound webhooks (admin): create, list, pause, resume, delete, the delivery log, redeliver. */
export function registerWebhookRoutes(app: FastifyInstance, admin: WebhookAdmin): void {
  const requireAdmin = (req: FastifyRequest) => {
    if (!isAdmin(identityOf(req))) throw new HeraldError('forbidden', 'the webhooks API needs the admin permission', { permission: 'admin' });
  };
  const tags = ['webhooks'];
  app.post(
    '/api/webhooks',
    {
      schema: {
        tags,
        summary: 'Create a webhook (admin); the reply holds its secret, shown only this once',
        description: 'Delivery starts with the next event published. Without a secret, Herald makes one.',
        body: doc(webhookInputSchema.omit({ id: true })),
        response: { 201: { ...webhookDoc, properties: { ...webhookDoc.properties, secret: { type: 'string' } } } },
      },
    },
    async (req, reply) => {
      requireAdmin(req);
      const input = parse(webhookInputSchema, req.body);
      return reply.code(201).send(await admin.create(input));
    },
  );
  app.get('/api/webhooks', { schema: { tags, summary: 'List webhooks (admin)', response: { 200: { type: 'object', properties: { webhooks: { type: 'array', items: webhookDoc } } } } } }, async (req) => {
    requireAdmin(req);
    return { webhooks: await admin.list() };
  });
  app.get('/api/webhooks/:id', { schema: { tags, summary: 'One webhook (admin)', params: idParams, response: { 200: webhookDoc } } }, async (req) => {
    requireAdmin(req);
    const { secret: _secret, ...info } = await admin.get((req.params as { id: string }).id);
    return { ...info, has_secret: _secret !== undefined };
  });
  app.delete('/api/webhooks/:id', { schema: { tags, summary: 'Delete a webhook made over the API, with its delivery log (admin)', params: idParams } }, async (req, reply) => {
    requireAdmin(req);
    await admin.remove((req.params as { id: string }).id);
    return reply.code(204).send();
  });
  for (const [action, status] of [
    ['pause', 'paused'],
    ['resume', 'active'],
  ] as const) {
    app.post(
      `/api/webhooks/:id/${action}`,
      {
        schema: {
          tags,
          summary: action === 'pause' ? 'Pause a webhook: events wait, none is skipped (admin)' : 'Resume a paused or disabled webhook from where it stopped (admin)',
          params: idParams,
          response: { 200: webhookDoc },
        },
      },
      async (req) => {
        requireAdmin(req);
        return admin.setStatus((req.params as { id: string }).id, status);
      },
    );
  }
  app.get(
    '/api/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'The delivery log, newest event first (admin); status=dead lists the dead letters',
        params: idParams,
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
            status: { type: 'string', enum: ['pending', 'delivered', 'dead', 'failed'] },
            before: { type: 'integer', description: 'next_before of the previous page' },
          },
        },
        response: { 200: { type: 'object', properties: { deliveries: { type: 'array', items: deliveryDoc }, next_before: { type: ['integer', 'null'] } } } },
      },
    },
    async (req) => {
      requireAdmin(req);
      const query = parse(deliveriesQuerySchema, req.query);
      const deliveries = await admin.deliveries((req.params as { id: string }).id, { limit: query.limit, status: query.status, beforeSeq: query.before });
      return { deliveries, next_before: deliveries.length === query.limit ? deliveries[deliveries.length - 1]!.event_seq : null };
    },
  );
  app.post(
    '/api/webhooks/:id/deliveries/:seq/redeliver',
    {
      schema: {
        tags,
        summary: 'Send one event again now, outside the order (admin): for dead letters once the receiver is fixed',
        params: { type: 'object', properties: { id: { type: 'string' }, seq: { type: 'integer' } }, required: ['id', 'seq'] },
        response: { 200: deliveryDoc },
      },
    },
    async (req) => {
      requireAdmin(req);
      const params = req.params as { id: string; seq: string };
      return admin.redeliver(params.id, parse(seqParamSchema, params.seq, 'seq'));
    },
  );
}
