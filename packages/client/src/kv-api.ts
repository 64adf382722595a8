import type { KvItem, KvPage } from '@herald/protocol';
import type { CallOptions } from './call-stream.js';
import type { ToolCaller } from './agents-api.js';

/**
 * `client.kv`: the org's key-value store (the `kv.*` tools; permissions
 * `call:kv.get`, `call:kv.set`, … or `call:kv.*`). Values are any JSON up
 * to 64 KiB.
 *
 * @example
 * ```ts
 * await client.kv.set('session:42', { step: 3 }, { ttlS: 3600 });
 * const item = await client.kv.get('session:42'); // item.value, item.ttl_s
 * ```
 */
export class KvApi {
  /** @internal */
  constructor(private readonly tools: ToolCaller) {}

  /** The key; rejects with `not_found` when it is missing or expired. */
  get(key: string, options?: CallOptions): Promise<KvItem> {
    return this.tools.call<KvItem>('kv.get', { key }, options);
  }

  /** Stores `value` for `ttlS` seconds, or forever. */
  set(key: string, value: unknown, options: CallOptions & { ttlS?: number } = {}): Promise<KvItem> {
    const { ttlS, ...callOptions } = options;
    const params: Record<string, unknown> = { key, value };
    if (ttlS !== undefined) params.ttl_s = ttlS;
    return this.tools.call<KvItem>('kv.set', params, callOptions);
  }

  /** Removes the key; rejects with `not_found` when there was none. */
  async delete(key: string, options?: CallOptions): Promise<void> {
    await this.tools.call('kv.delete', { key }, options);
  }

  /** One page of keys in key order; pass `next_cursor` back as `cursor` for the next. */
  list(query: { prefix?: string; cursor?: string; limit?: number } = {}, options?: CallOptions): Promise<KvPage> {
    const params: Record<string, unknown> = {};
    if (query.prefix !== undefined) params.prefix = query.prefix;
    if (query.cursor !== undefined) params.cursor = query.cursor;
    if (query.limit !== undefined) params.limit = query.limit;
    return this.tools.call<KvPage>('kv.list', params, options);
  }
}
