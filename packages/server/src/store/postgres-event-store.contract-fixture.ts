import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { EventStoreFixture } from './event-store.contract.js';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store.js';

/**
 * Test support for the PostgreSQL store: where the test server is, whether
 * to run, and stores in throwaway schemas. Not part of the build.
 */

/** The test database; trust auth on the machine that runs the tests unless overridden. */
export const TEST_POSTGRES_URL = process.env.HERALD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL without its password, for messages. */
export function redactedTestUrl(): string {
  return TEST_POSTGRES_URL.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Resolves to why PostgreSQL cannot be used, or undefined when a query succeeds. */
export async function probePostgres(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return `PostgreSQL at ${redactedTestUrl()} is unreachable (${(err as Error).message}); set HERALD_TEST_POSTGRES_URL`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Whether the PostgreSQL tests skip: only when the server is unreachable and
 * this is not CI. In CI (`CI=true`) they run and fail, since a missing
 * service there is a broken pipeline, not a reason to pass.
 */
export async function postgresSkipReason(): Promise<string | undefined> {
  const reason = await probePostgres();
  if (reason === undefined) return undefined;
  if (process.env.CI === 'true') {
    console.error(`PostgreSQL tests run in CI and fail: ${reason}`);
    return undefined;
  }
  console.warn(`skipping PostgreSQL tests: ${reason}`);
  return reason;
}

/** A schema name no other test run uses. */
export function randomSchemaName(): string {
  return `herald_test_${randomBytes(6).toString('hex')}`;
}

/** Drops a schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A contract fixture: a store in a fresh schema, `reopen` on the same schema, the schema dropped in cleanup. */
export function makePostgresFixture(options: Partial<PostgresEventStoreOptions> = {}): EventStoreFixture {
  const schema = randomSchemaName();
  const make = () => new PostgresEventStore({ connectionString: TEST_POSTGRES_URL, schema, poolSize: 4, ...options });
  return { store: make(), reopen: make, cleanup: () => dropSchema(schema) };
}
