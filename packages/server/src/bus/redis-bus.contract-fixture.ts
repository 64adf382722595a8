import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { BusFixture } from './bus.contract.js';
import { RedisBus } from './redis-bus.js';
import { parseRedisUrl } from './redis-connection.js';

/**
 * Test support for the Redis bus: where the test Redis is, whether to run,
 * and buses under a throwaway key prefix. Not part of the build.
 */

/** The shared test Redis; tests write only under their own prefix and never flush it. */
export const TEST_REDIS_URL = process.env.HERALD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** A key prefix no other test run uses. */
export function randomRedisPrefix(): string {
  return `herald-test-${randomBytes(6).toString('hex')}:`;
}

/** The test URL with a prefix. */
export function testRedisUrl(prefix: string, base = TEST_REDIS_URL): string {
  const url = new URL(base);
  url.searchParams.set('prefix', prefix);
  return url.toString();
}

/** Resolves to why Redis cannot be used, or undefined when it answers. In CI a missing Redis fails the tests instead. */
export async function redisSkipReason(): Promise<string | undefined> {
  const client = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3_000,
  });
  client.on('error', () => undefined);
  let reason: string | undefined;
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    reason = `Redis at ${TEST_REDIS_URL} is unreachable (${(err as Error).message}); set HERALD_TEST_REDIS_URL`;
  } finally {
    client.disconnect();
  }
  if (reason === undefined) return undefined;
  if (process.env.CI === 'true') {
    console.error(`Redis tests run in CI and fail: ${reason}`);
    return undefined;
  }
  console.warn(`skipping Redis tests: ${reason}`);
  return reason;
}

/** Deletes every key under the prefix (SCAN, never FLUSHDB: the Redis is shared). */
export async function deleteRedisPrefix(prefix: string, base = TEST_REDIS_URL): Promise<void> {
  const client = new Redis(base, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } catch {
    // A Redis a test killed has nothing left to clean.
  } finally {
    client.disconnect();
  }
}

/** Buses of one deployment under a fresh prefix, with a short gap timeout so tests settle quickly. */
export async function makeRedisBusFixture(): Promise<BusFixture> {
  const prefix = randomRedisPrefix();
  const target = parseRedisUrl(testRedisUrl(prefix));
  return {
    makeNodes: (count, settle) => Array.from({ length: count }, () => new RedisBus({ target, settle, gapTimeoutMs: 200 })),
    cleanup: () => deleteRedisPrefix(prefix),
  };
}
