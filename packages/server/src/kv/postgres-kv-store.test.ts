import { describe } from 'vitest';
import { TEST_POSTGRES_URL, dropSchema, postgresSkipReason, randomSchemaName } from '../store/postgres-event-store.contract-fixture.js';
import { describeKvStoreContract } from './kv-store.contract.js';
import { PostgresKvStore } from './postgres-kv-store.js';

const skipReason = await postgresSkipReason();
const suffix = skipReason ? ` (skipped: ${skipReason})` : '';

describe.skipIf(skipReason !== undefined)(`postgres${suffix}`, () => {
  describeKvStoreContract('postgres', () => {
    const schema = randomSchemaName();
    const make = () => new PostgresKvStore({ connectionString: TEST_POSTGRES_URL, schema, poolSize: 2 });
    return { store: make(), reopen: make, cleanup: () => dropSchema(schema) };
  });
});
