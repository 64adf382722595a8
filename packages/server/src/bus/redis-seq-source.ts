import type { Redis } from 'ioredis';
import { type RedisTarget, busUnavailable } from './redis-connection.js';
import type { SeqSource } from './seq-source.js';

/** Takes `count` seqs; refuses when the counter is missing (Redis restarted empty), so it is re-seeded first. */
const TAKE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return redis.error_reply('HERALD_NOSEQ the seq counter is missing') end
return redis.call('INCRBY', KEYS[1], ARGV[1])`;

/** Raises the counter to at least ARGV[1]; never lowers it, so concurrent seeders agree. */
const SEED_SCRIPT = `
local current = redis.call('GET', KEYS[1])
local wanted = tonumber(ARGV[1])
if not current or wanted > tonumber(current) then redis.call('SET', KEYS[1], ARGV[1]) return wanted end
return tonumber(current)`;

/**
 * The cluster's seq counter: one Redis key, `INCRBY` per batch. When Redis
 * comes back empty the counter is missing; the first take then re-seeds it
 * above both the store's highest seq (which counts settled seqs) and the
 * highest this node ever took (its appends may still be in flight), so a seq
 * is never handed out twice. Should two nodes still meet on one seq, the
 * store's primary key lets only one append commit.
 */
export class RedisSeqSource implements SeqSource {
  readonly description: string;
  private readonly key: string;
  private highestTaken = 0;

  constructor(
    private readonly deps: {
      redis: Redis;
      target: RedisTarget;
      /** The store's highest seq, appended or settled, by any node. */
      storeLastSeq: () => Promise<number>;
    },
  ) {
    this.key = `${deps.target.prefix}seq`;
    this.description = deps.target.description;
  }

  async take(count: number): Promise<number> {
    try {
      let last: number;
      try {
        last = Number(await this.deps.redis.eval(TAKE_SCRIPT, 1, this.key, count));
      } catch (err) {
        if (!String((err as Error).message).includes('HERALD_NOSEQ')) throw err;
        await this.seed();
        last = Number(await this.deps.redis.eval(TAKE_SCRIPT, 1, this.key, count));
      }
      if (last > this.highestTaken) this.highestTaken = last;
      return last - count + 1;
    } catch (err) {
      throw busUnavailable(err);
    }
  }

  /** Sets the counter when missing (or behind), before any seq is handed out. */
  async seed(): Promise<number> {
    const floor = Math.max(await this.deps.storeLastSeq(), this.highestTaken);
    return Number(await this.deps.redis.eval(SEED_SCRIPT, 1, this.key, floor));
  }
}
