import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { HeraldError } from '../errors/herald-error.js';
import { deleteRedisPrefix, randomRedisPrefix, redisSkipReason, testRedisUrl } from './redis-bus.contract-fixture.js';
import { connectRedis, openRedis, parseRedisUrl } from './redis-connection.js';
import { RedisSeqSource } from './redis-seq-source.js';

const skipReason = await redisSkipReason();

describe('parseRedisUrl', () => {
  it('reads host, port, database and prefix, and describes them without the password', () => {
    const target = parseRedisUrl('redis://app:s3cret@cache.internal:6380/2?prefix=prod');
    expect(target.options).toMatchObject({ host: 'cache.internal', port: 6380, db: 2, username: 'app', password: 's3cret' });
    expect(target.prefix).toBe('prod:');
    expect(target.description).toBe('redis://cache.internal:6380/2 (prefix prod:)');
    expect(parseRedisUrl('redis://127.0.0.1').prefix).toBe('herald:');
  });

  it('names the setting and the fix for a URL it cannot use', () => {
    expect(() => parseRedisUrl('nats://x')).toThrow(/bus = "nats:\/\/x": use "memory" or redis:\/\//);
    expect(() => parseRedisUrl('redis://h/99')).toThrow(/database "99" must be a number from 0 to 15/);
    expect(() => parseRedisUrl('redis://h/0?prefix=a b')).toThrow(/prefix "a b" must be/);
    expect(() => parseRedisUrl('redis://u:pw@h/x')).not.toThrow(/pw/);
  });
});

describe.skipIf(skipReason !== undefined)(`RedisSeqSource${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const prefix = randomRedisPrefix();
  const clients: Redis[] = [];

  async function source(storeLastSeq: () => Promise<number>, url = testRedisUrl(prefix)): Promise<{ seqs: RedisSeqSource; redis: Redis }> {
    const target = parseRedisUrl(url);
    const redis = connectRedis(target, 'test', () => undefined);
    clients.push(redis);
    await openRedis(redis, target);
    return { seqs: new RedisSeqSource({ redis, target, storeLastSeq }), redis };
  }

  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await deleteRedisPrefix(prefix);
  });

  it('hands two nodes consecutive ranges that never overlap, starting above the store', async () => {
    const a = await source(async () => 41);
    const b = await source(async () => 41);
    const firsts = await Promise.all([a.seqs.take(10), b.seqs.take(5), a.seqs.take(1), b.seqs.take(3)]);
    const taken = [10, 5, 1, 3].flatMap((n, i) => Array.from({ length: n }, (_, k) => firsts[i]! + k));
    expect(new Set(taken).size).toBe(19);
    expect(Math.min(...taken)).toBe(42);
    expect(Math.max(...taken)).toBe(60);
  });

  it('starts a new deployment at seq 1', async () => {
    const { seqs } = await source(async () => 0);
    expect(await seqs.take(2)).toBe(1);
    expect(await seqs.take(1)).toBe(3);
  });

  it('re-seeds a counter Redis lost above the store and above every seq this node took', async () => {
    let storeLast = 100;
    const { seqs, redis } = await source(async () => storeLast);
    expect(await seqs.take(50)).toBe(101); // took 101..150; say none of them is committed yet
    await redis.del(`${prefix}seq`);
    storeLast = 120;
    expect(await seqs.take(1)).toBe(151);
    await redis.del(`${prefix}seq`);
    storeLast = 500;
    expect(await seqs.take(1)).toBe(501);
  });

  it('hands out ranges in the order takes were made, also when the counter vanishes between them', async () => {
    const { seqs, redis } = await source(async () => 10);
    const firsts: Array<Promise<number>> = [];
    for (let i = 0; i < 30; i++) firsts.push(seqs.take(2));
    void redis.del(`${prefix}seq`);
    for (let i = 0; i < 30; i++) firsts.push(seqs.take(2));
    const got = await Promise.all(firsts);
    for (let i = 1; i < got.length; i++) expect(got[i]!).toBeGreaterThan(got[i - 1]! + 1);
  });

  it('refuses with bus_unavailable and a retry delay while Redis is unreachable', async () => {
    const { seqs, redis } = await source(async () => 0);
    redis.disconnect();
    const err = await seqs.take(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeraldError);
    expect(err).toMatchObject({ code: 'bus_unavailable', status: 503, details: { retry_after_ms: 1000 } });
  });
});
