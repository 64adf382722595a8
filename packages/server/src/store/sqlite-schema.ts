import type Database from 'better-sqlite3';

/** Version of the layout below, kept in `PRAGMA user_version`. */
export const SQLITE_SCHEMA_VERSION = 2;

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
 * Version 2: a trigram index of each event's searchable text (type, source
 * and data as JSON text: what history `search` matches), for substring
 * search without scanning the log. Contentless (the text is in `events`),
 * `detail=none` (the smallest index; a match is re-checked against the row),
 * filled behind the log by {@link SqliteTextIndex} up to `text_indexed_seq`,
 * and emptied with the rows retention deletes.
 */
const SCHEMA_V2 = `
CREATE VIRTUAL TABLE events_text USING fts5(text, content='', contentless_delete=1, detail=none, tokenize='trigram');
CREATE TRIGGER events_text_delete AFTER DELETE ON events BEGIN
  DELETE FROM events_text WHERE rowid = old.seq;
END;
INSERT INTO meta (key, value) VALUES ('text_indexed_seq', 0);
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
    if (version < 1) db.exec(SCHEMA_V1);
    // A version-1 file gets an empty text index; it fills in the background.
    db.exec(SCHEMA_V2);
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
