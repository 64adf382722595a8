import { describe } from 'vitest';
import { TEST_POSTGRES_URL, dropSchema, postgresSkipReason, randomSchemaName } from '../store/postgres-event-store.contract-fixture.js';
import { describeWebhookStoreContract } from './webhook-store.contract.js';
import { PostgresWebhookStore } from './postgres-webhook-store.js';

const skipReason = await postgresSkipReason();

describe.skipIf(skipReason !== undefined)(`postgres${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  describeWebhookStoreContract('postgres', async () => {
    const schema = randomSchemaName();
    const make = () => new PostgresWebhookStore({ connectionString: TEST_POSTGRES_URL, schema, poolSize: 2 });
    return { store: make(), reopen: make, cleanup: () => dropSchema(schema) };
  });
});
