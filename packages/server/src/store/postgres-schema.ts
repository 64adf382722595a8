import type pg from 'pg';
import { ConfigError } from '../errors/herald-error.js';

/** Version of the layout below, kept in the `meta` row `schema_version`. */
export const POSTGRES_SCHEMA_VERSION = 2;

/** Schema used when neither the options nor the URL name one. */
export const DEFAULT_POSTGRES_SCHEMA = 'herald';

/** Lower-case identifiers only, so the name means the same quoted or not. */
const SCHEMA_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The schema name checked and double-quoted for SQL. Names come from
 * configuration, never from requests, but are still checked because they are
 * spliced into statements (identifiers cannot be bound as parameters).
 * @throws ConfigError naming the setting and what is accepted.
 */
export function quoteSchemaName(schema: string): string {
  if (!SCHEMA_NAME_PATTERN.test(schema)) {
    throw new ConfigError([
      `store schema "${schema.slice(0, 80)}": use 1 to 63 lower-case letters, digits or "_", not starting with a digit (e.g. "herald")`,
    ]);
  }
  return `"${schema}"`;
}

/** The schema named by the URL's `schema` parameter, and the URL without it. */
export function splitSchemaParam(connectionString: string): { url: string; schema: string | undefined } {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return { url: connectionString, schema: undefined };
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return { url: url.toString(), schema };
}

/**
 * One row per event. `json` is the event text exactly as appended (reads
 * return it parsed, so key order and number formatting are the publisher's);
 * `event` is the same event as JSONB for ad-hoc SQL and JSON-path queries.
 * `data_at`/`data_chars` locate the JSON text of `data` inside `json` (1-based,
 * in characters, as `substr` counts), so search reads the same text as the
 * SQLite store and the live filters without storing it twice.
 *
 * Text columns use the "C" collation: byte order makes the stats tie-break
 * (`key ASC`) agree with JavaScript's and lets anchored `~` and `LIKE`
 * patterns on `type` use the btree index.
 */
function schemaSql(s: string): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${s}.events (
  seq            BIGINT  PRIMARY KEY,
  id             TEXT    COLLATE "C" NOT NULL,
  type           TEXT    COLLATE "C" NOT NULL,
  category       TEXT    COLLATE "C" NOT NULL,
  source         TEXT    COLLATE "C" NOT NULL,
  time           TEXT    NOT NULL,
  time_ms        BIGINT  NOT NULL,
  severity       TEXT    COLLATE "C" NOT NULL,
  priority       TEXT    COLLATE "C" NOT NULL,
  correlation_id TEXT    COLLATE "C",
  org            TEXT    COLLATE "C",
  data_at        INTEGER NOT NULL,
  data_chars     INTEGER NOT NULL,
  json           TEXT    NOT NULL,
  event          JSONB   NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_id ON ${s}.events (id);
-- (column, seq) so a filtered page newest-first walks one index without sorting.
CREATE INDEX IF NOT EXISTS events_type ON ${s}.events (type, seq);
CREATE INDEX IF NOT EXISTS events_source ON ${s}.events (source, seq);
-- Covers the stats breakdowns, so a dashboard window can be counted from the index.
CREATE INDEX IF NOT EXISTS events_time ON ${s}.events (time_ms) INCLUDE (type, severity, priority, source, category, org);
CREATE INDEX IF NOT EXISTS events_correlation ON ${s}.events (correlation_id, seq) WHERE correlation_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_org ON ${s}.events (org, seq) WHERE org IS NOT NULL;
-- Every seq appended or given up by a cluster node: one seq, one fate (version 2).
CREATE TABLE IF NOT EXISTS ${s}.seq_claims (
  seq BIGINT PRIMARY KEY
);
-- last_seq: the highest seq retention deleted, so lastSeq survives an emptied log.
CREATE TABLE IF NOT EXISTS ${s}.meta (
  key   TEXT   PRIMARY KEY,
  value BIGINT NOT NULL
);
`;
}

/**
 * The text history `search` matches, as one expression: type, source and the
 * JSON text of `data`. The trigram index is on exactly this expression, and
 * the query's `ILIKE` repeats it so the planner can use the index.
 */
export const SEARCH_TEXT_SQL = `(type || chr(10) || source || chr(10) || substr(json, data_at, data_chars))`;

/**
 * Adds the trigram index for history search when the pg_trgm extension is
 * available (it is a trusted extension: a database owner may create it).
 * Runs in a savepoint: without pg_trgm, search still works by scanning.
 * @returns why there is no index, or undefined when there is one.
 */
async function addTextIndex(client: pg.PoolClient, s: string): Promise<string | undefined> {
  await client.query('SAVEPOINT text_index');
  try {
    // Schemas of different stores may be created at once; the extension is per database.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('herald.pg_trgm'))`);
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    const ext = await client.query<{ schema: string }>(
      `SELECT quote_ident(nspname) AS schema FROM pg_extension JOIN pg_namespace ON pg_namespace.oid = extnamespace WHERE extname = 'pg_trgm'`,
    );
    const ops = `${ext.rows[0]!.schema}.gin_trgm_ops`;
    await client.query(`CREATE INDEX IF NOT EXISTS events_text ON ${s}.events USING gin (${SEARCH_TEXT_SQL} ${ops})`);
    await client.query('RELEASE SAVEPOINT text_index');
    return undefined;
  } catch (err) {
    await client.query('ROLLBACK TO SAVEPOINT text_index');
    return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Creates the schema, or checks that an existing one is a layout this code
 * reads. Idempotent, and safe when several nodes open at once: an advisory
 * lock per schema name serialises them, because concurrent `CREATE … IF NOT
 * EXISTS` can still fail on the catalog's unique indexes.
 * Also adds the trigram index for search (see {@link addTextIndex}).
 * @throws Error when the schema was written by a newer Herald.
 */
/**
 * The advisory lock every Herald store takes (in a transaction) while it
 * creates or changes its tables in a schema: the event log, the KV store and
 * the webhook store may all start at once on several nodes, and concurrent
 * `CREATE … IF NOT EXISTS` still collides on the catalog's unique indexes.
 */
export async function lockSchema(client: pg.PoolClient, schema: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`herald.schema:${schema}`]);
}

/**
 * Runs a store's table creation in one transaction under {@link lockSchema},
 * on a connection of `pool`; for the stores that live beside the event log
 * (KV, webhooks).
 */
export async function createTablesLocked(pool: pg.Pool, schema: string, sql: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await lockSchema(client, schema);
    await client.query(sql);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

export async function migrate(client: pg.PoolClient, schema: string): Promise<{ textIndexMissing: string | undefined }> {
  const s = quoteSchemaName(schema);
  await client.query('BEGIN');
  try {
    await lockSchema(client, schema);
    await client.query(schemaSql(s));
    const textIndexMissing = await addTextIndex(client, s);
    const row = await client.query<{ value: string }>(`SELECT value FROM ${s}.meta WHERE key = 'schema_version'`);
    const version = row.rows[0] ? Number(row.rows[0].value) : 0;
    if (version > POSTGRES_SCHEMA_VERSION) {
      throw new Error(
        `The event store schema "${schema}" has version ${version}, newer than this Herald reads (${POSTGRES_SCHEMA_VERSION}); upgrade Herald or use another schema.`,
      );
    }
    if (version < POSTGRES_SCHEMA_VERSION) {
      await client.query(
        `INSERT INTO ${s}.meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [POSTGRES_SCHEMA_VERSION],
      );
    }
    await client.query('COMMIT');
    return { textIndexMissing };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
