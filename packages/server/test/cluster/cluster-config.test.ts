import { describe, expect, it } from 'vitest';
import { testRedisUrl } from '../../src/bus/redis-bus.contract-fixture.js';
import {
  TEST_POSTGRES_URL,
  dropSchema,
  postgresSkipReason,
  randomSchemaName,
} from '../../src/store/postgres-event-store.contract-fixture.js';
import { startTestServer } from '../helpers.js';
import { freePort } from './cluster-harness.js';

const skipReason = await postgresSkipReason();

describe('Starting a cluster node', () => {
  it('refuses a Redis bus over a per-node SQLite store, naming the setting to change', async () => {
    await expect(startTestServer({ bus: testRedisUrl('herald-test-config:') })).rejects.toThrow(
      /several nodes need one shared store; set HERALD_STORE=postgres:\/\//,
    );
  });

  it('refuses a bus it does not know, naming the accepted forms', async () => {
    await expect(startTestServer({ bus: 'kafka://broker:9092' })).rejects.toThrow(/use "memory" or redis:\/\/host:6379\/0\?prefix=herald/);
  });

  it.skipIf(skipReason !== undefined)('fails with the address when Redis cannot be reached at start', async () => {
    const port = await freePort();
    const schema = randomSchemaName();
    const store = new URL(TEST_POSTGRES_URL);
    store.searchParams.set('schema', schema);
    try {
      await expect(startTestServer({ store: store.toString(), bus: `redis://127.0.0.1:${port}/0` })).rejects.toThrow(
        new RegExp(`redis://127.0.0.1:${port}/0 \\(prefix herald:\\): Redis is unreachable`),
      );
    } finally {
      await dropSchema(schema);
    }
  });
});
