import { z } from 'zod';
import { parseParams } from '../tools/parse-params.js';
import type { Tool } from '../tools/tool.js';
import { KV_KEY_PATTERN, KV_MAX_PAGE_KEYS, type KvService } from './kv-service.js';

const key = z.string({ error: 'must be a string' }).regex(KV_KEY_PATTERN, 'must be 1 to 256 letters, digits or _ . : / -');
const getSchema = z.strictObject({ key });
const setSchema = z.strictObject({
  key,
  value: z.unknown(),
  /** Seconds the key lives; absent means forever. */
  ttl_s: z
    .number({ error: 'must be a number of seconds' })
    .positive('must be greater than 0')
    .max(10 * 365 * 24 * 3600, 'must be at most ten years')
    .optional(),
});
const listSchema = z.strictObject({
  prefix: z.string({ error: 'must be a string' }).max(256, 'must be at most 256 characters').optional(),
  cursor: z.string({ error: 'must be a string' }).max(256, 'must be at most 256 characters').optional(),
  limit: z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(KV_MAX_PAGE_KEYS, `must be at most ${KV_MAX_PAGE_KEYS}`)
    .optional(),
});

const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { unrepresentable: 'any' }) as Record<string, unknown>;

/** `kv.get`, `kv.set`, `kv.delete`, `kv.list`: the caller's org's keys (permission `call:kv.<op>`, `call:kv.*` for all). */
export function kvTools(kv: KvService): Tool[] {
  return [
    {
      name: 'kv.get',
      description: 'One key of your org: its JSON value, expiry and size; not_found when missing or expired',
      inputSchema: jsonSchema(getSchema),
      run: async (params, ctx) => kv.get(ctx.org, parseParams(getSchema, params).key),
    },
    {
      name: 'kv.set',
      description: 'Stores any JSON value (at most 64 KiB) under a key of your org, for ttl_s seconds or forever',
      inputSchema: jsonSchema(setSchema),
      run: async (params, ctx) => {
        const p = parseParams(setSchema, params);
        return kv.set(ctx.org, p.key, p.value, p.ttl_s);
      },
    },
    {
      name: 'kv.delete',
      description: 'Removes a key of your org; not_found when it does not exist',
      inputSchema: jsonSchema(getSchema),
      run: async (params, ctx) => kv.delete(ctx.org, parseParams(getSchema, params).key),
    },
    {
      name: 'kv.list',
      description: 'Keys of your org in key order, by prefix, a page at a time (cursor = next_cursor of the previous page)',
      inputSchema: jsonSchema(listSchema),
      run: async (params, ctx) => {
        const p = parseParams(listSchema, params);
        return kv.list(ctx.org, {
          ...(p.prefix !== undefined && { prefix: p.prefix }),
          ...(p.cursor !== undefined && { cursor: p.cursor }),
          ...(p.limit !== undefined && { limit: p.limit }),
        });
      },
    },
  ];
}
