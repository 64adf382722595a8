import { describe } from 'vitest';
import { describeBusContract } from './bus.contract.js';
import { makeRedisBusFixture, redisSkipReason } from './redis-bus.contract-fixture.js';

const skipReason = await redisSkipReason();

describe.skipIf(skipReason !== undefined)(`redis${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  describeBusContract('redis', makeRedisBusFixture, { isCluster: true });
});
