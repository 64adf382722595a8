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

  /**
   * Takes are sent at once, without waiting for the previous answer: Redis
   * answers in order, so ranges follow the order of the calls. When the
   * counter is missing, those takes and every later one wait in one line
   * behind a single re-seed, which keeps that order too.
   */
  take(count: number): Promise<number> {
    const last =
      this.recovery !== undefined
        ? this.retryInOrder(count)
        : this.evalTake(count).catch((err: unknown) => {
            if (!String((err as Error).message).includes('HERALD_NOSEQ')) throw err;
            return this.retryInOrder(count);
          });
    return last.then(
      (value) => {
        if (value > this.highestTaken) this.highestTaken = value;
        return value - count + 1;
      },
      (err: unknown) => {
        throw busUnavailable(err);
      },
    );
  }

  /** Takes waiting behind a re-seed, in call order; undefined when none waits. */
  private recovery: Promise<void> | undefined;
  private isReseeded = false;

  private retryInOrder(count: number): Promise<number> {
    const run = (this.recovery ?? Promise.resolve()).then(async () => {
      if (!this.isReseeded) {
        await this.seed();
        this.isReseeded = true;
      }
      return this.evalTake(count);
    });
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.recovery = tail;
    void tail.then(() => {
      if (this.recovery !== tail) return;
      this.recovery = undefined;
      this.isReseeded = false;
    });
    return run;
  }

  private async evalTake(count: number): Promise<number> {
    return Number(await this.deps.redis.eval(TAKE_SCRIPT, 1, this.key, count));
  }

  /** Sets the counter when missing (or behind), before any seq is handed out. */
  async seed(): Promise<number> {
    const floor = Math.max(await this.deps.storeLastSeq(), this.highestTaken);
    return Number(await this.deps.redis.eval(SEED_SCRIPT, 1, this.key, floor));
  }
}
