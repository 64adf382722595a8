import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallRunner } from '../../tools/call-runner.js';
import type { ToolRegistry } from '../../tools/tool-registry.js';
import { runToolOverHttp } from './http-caller.js';

export interface KvRoutesDeps {
  calls: CallRunner;
  tools: ToolRegistry;
}

const keyParam = { type: 'object', properties: { '*': { type: 'string', description: 'The key: 1-256 letters, digits, _ . : / -' } } };
const item = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    value: {},
    expires_at: { type: ['string', 'null'] },
    ttl_s: { type: ['integer', 'null'] },
    updated_at: { type: 'string' },
    size_bytes: { type: 'integer' },
  },
};

/**
 * The KV store over HTTP, the same tools as over the socket (`call:kv.*`
 * permissions, the caller's org): `GET /api/kv?prefix=`, `GET|PUT|DELETE /api/kv/:key`.
 */
export function registerKvRoutes(app: FastifyInstance, deps: KvRoutesDeps): void {
  const run = (req: FastifyRequest, reply: FastifyReply, tool: string, params: unknown) =>
    runToolOverHttp(deps.calls, deps.tools, req, reply, tool, params);
  app.get(
    '/api/kv',
    {
      schema: {
        tags: ['kv'],
        summary: 'Keys of your org in key order (permission call:kv.list)',
        querystring: {
          type: 'object',
          properties: {
            prefix: { type: 'string' },
            cursor: { type: 'string', description: 'next_cursor of the previous page' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
        response: {
          200: { type: 'object', properties: { keys: { type: 'array', items: item }, next_cursor: { type: ['string', 'null'] } } },
        },
      },
    },
    async (req, reply) => {
      const q = req.query as { prefix?: string; cursor?: string; limit?: number };
      const params: Record<string, unknown> = {};
      if (q.prefix) params.prefix = q.prefix;
      if (q.cursor) params.cursor = q.cursor;
      if (q.limit !== undefined) params.limit = q.limit;
      return run(req, reply, 'kv.list', params);
    },
  );
  app.get(
    '/api/kv/*',
    {
      schema: {
        tags: ['kv'],
        summary: 'One key: value, expiry, size (permission call:kv.get); 404 not_found when missing or expired',
        params: keyParam,
        response: { 200: item },
      },
    },
    async (req, reply) => run(req, reply, 'kv.get', { key: (req.params as { '*': string })['*'] }),
  );
  app.put(
    '/api/kv/*',
    {
      schema: {
        tags: ['kv'],
        summary: 'Stores a JSON value (at most 64 KiB) for ttl_s seconds or forever (permission call:kv.set)',
        params: keyParam,
        body: {
          type: 'object',
          required: ['value'],
          properties: { value: {}, ttl_s: { type: 'number', exclusiveMinimum: 0 } },
          additionalProperties: false,
        },
        response: { 200: item },
      },
    },
    async (req, reply) => {
      const body = req.body as { value: unknown; ttl_s?: number };
      const params: Record<string, unknown> = { key: (req.params as { '*': string })['*'], value: body.value };
      if (body.ttl_s !== undefined) params.ttl_s = body.ttl_s;
      return run(req, reply, 'kv.set', params);
    },
  );
  app.delete(
    '/api/kv/*',
    { schema: { tags: ['kv'], summary: 'Removes a key (permission call:kv.delete); 404 not_found when missing', params: keyParam } },
    async (req, reply) => run(req, reply, 'kv.delete', { key: (req.params as { '*': string })['*'] }),
  );
}
