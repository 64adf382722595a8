import type Database from 'better-sqlite3';

/** Version of the layout below, kept in `PRAGMA user_version`. */
export const SQLITE_SCHEMA_VERSION = 1;

/**
 * One row per event. `json` is the event exactly as appended, so reads never
 * rebuild it; the other columns exist to be filtered, grouped and indexed.
 * Secondary indexes end in the rowid (`seq`), so `WHERE type = ? ORDER BY
 * seq DESC` walks the `type` index without sorting.
 */
const SCHEMA_V1 = `
CREATE TABLE events (
  seq            INTEGER PRIMARY KEY,
  id             TEXT    NOT NULL,
  type           TEXT    NOT NULL,
  category       TEXT    NOT NULL,
  source         TEXT    NOT NULL,
  time           TEXT    NOT NULL,
  time_ms        INTEGER NOT NULL,
  severity       TEXT    NOT NULL,
  priority       TEXT    NOT NULL,
  correlation_id TEXT,
  org            TEXT,
  json           TEXT    NOT NULL
) STRICT;
CREATE UNIQUE INDEX events_id ON events (id);
CREATE INDEX events_type ON events (type);
CREATE INDEX events_source ON events (source);
-- Covers the stats breakdowns, so a dashboard window is counted from the index alone.
CREATE INDEX events_time ON events (time_ms, type, severity, priority, source, category, org);
CREATE INDEX events_correlation ON events (correlation_id) WHERE correlation_id IS NOT NULL;
CREATE INDEX events_org ON events (org) WHERE org IS NOT NULL;
-- last_seq: highest seq ever stored, so it survives retention deleting every row.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;

/**
 * Creates the schema in an empty database, or checks that an existing one is
 * a layout this code reads. Throws on a file written by a newer Herald.
 */
export function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SQLITE_SCHEMA_VERSION) return;
  if (version > SQLITE_SCHEMA_VERSION) {
    throw new Error(
      `The event store ${db.name} has schema version ${version}, newer than this Herald reads (${SQLITE_SCHEMA_VERSION}); upgrade Herald or point HERALD_STORE at another file.`,
    );
  }
  db.transaction(() => {
    db.exec(SCHEMA_V1);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  })();
}

/** Connection settings: WAL so readers never block the writer, and the durability the operator chose. */
export function configureConnection(db: Database.Database, synchronous: 'normal' | 'full'): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
  // A 64 MiB page cache and memory-mapped reads keep index pages at hand: with six indexes, inserts into
  // a large log otherwise spend their time reading pages back (measured by the bench's ingest scenario).
  db.pragma('cache_size = -65536');
  db.pragma('mmap_size = 268435456');
  // Bounds the WAL file left behind after a checkpoint (64 MiB).
  db.pragma('journal_size_limit = 67108864');
}
