import { getRandomValues } from 'node:crypto';
import { monotonicFactory } from 'ulid';

const POOL_SIZE = 1024;

/**
 * A cryptographic PRNG drawing from a pool refilled 1,024 values at a time:
 * ulid's default asks the system for one random byte per character.
 */
export function pooledRandom(): () => number {
  const pool = new Uint32Array(POOL_SIZE);
  let next = POOL_SIZE;
  return () => {
    if (next === POOL_SIZE) {
      getRandomValues(pool);
      next = 0;
    }
    return pool[next++]! / 2 ** 32;
  };
}

/** Makes monotonic ULIDs: sortable by time, increasing within a millisecond. */
export function eventIdFactory(): () => string {
  return monotonicFactory(pooledRandom());
}
