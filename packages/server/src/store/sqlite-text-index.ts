import type Database from 'better-sqlite3';

/** What the history query needs to use the index: how far it reaches, and the MATCH for a search. */
export interface TextIndexView {
  /** Every event with `seq` up to this is indexed; newer ones are found by scanning. */
  readonly indexedThroughSeq: number;
}

/** The longest run of trigrams a MATCH asks for; more only narrows candidates the row check rejects anyway. */
const MAX_MATCH_TRIGRAMS = 12;

/**
 * The FTS5 query for rows whose text may contain `search`, or undefined
 * when `search` is shorter than three characters (a trigram index cannot
 * narrow those). With `detail=none` a phrase cannot be asked for, so it is
 * trigrams ANDed: a superset of the rows containing the substring, which
 * the caller re-checks with LIKE. The trigrams cover the whole string (every
 * third, plus the last), each quoted so nothing in it is FTS5 syntax.
 */
export function trigramMatch(search: string): string | undefined {
  const chars = Array.from(search);
  if (chars.length < 3) return undefined;
  const starts: number[] = [];
  for (let i = 0; i + 3 <= chars.length; i += 3) starts.push(i);
  if (starts.at(-1) !== chars.length - 3) starts.push(chars.length - 3);
  const picked = starts.length > MAX_MATCH_TRIGRAMS ? [...starts.slice(0, MAX_MATCH_TRIGRAMS - 1), chars.length - 3] : starts;
  return picked.map((i) => `"${chars.slice(i, i + 3).join('').replaceAll('"', '""')}"`).join(' AND ');
}

/** Wait when the index has caught up, ms. */
const IDLE_POLL_MS = 200;
/**
 * While events arrive, the indexer takes at most this share of the event
 * loop (it must not halve ingest) in slices of about this long (each one
 * delays the deliveries that arrive meanwhile); once they stop, more and
 * longer slices catch up a burst.
 */
const BUSY = { duty: 0.2, sliceMs: 1 };
const QUIET = { duty: 0.6, sliceMs: 8 };
/** Bounds of a slice, rows; the size in between follows the measured cost per row. */
const MIN_SLICE_ROWS = 8;
const MAX_SLICE_ROWS = 2_000;

/**
 * Fills the trigram index (`events_text`, schema version 2) behind the log,
 * in small slices on a timer, so appends never pay for it: indexing costs
 * several times an insert, and doing it in the append transaction would cut
 * durable ingest by more than half. Searches use the index up to
 * {@link indexedThroughSeq} and scan the newer rows.
 */
export class SqliteTextIndex implements TextIndexView {
  private indexed: number;
  private timer: NodeJS.Timeout | undefined;
  private lastSeenSeq = 0;
  /** Measured cost of indexing one row, ms (about 0.04 for a small event). */
  private msPerRow = 0.05;
  private readonly insertSlice: Database.Statement;
  private readonly saveMark: Database.Statement;
  private readonly highestSeq: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.indexed = (db.prepare(`SELECT value FROM meta WHERE key = 'text_indexed_seq'`).get() as { value: number } | undefined)?.value ?? 0;
    // The same text the LIKE check reads, so the index never misses a row LIKE would match.
    this.insertSlice = db.prepare(
      `INSERT INTO events_text (rowid, text) SELECT seq, type || char(10) || source || char(10) || coalesce(json -> '$.data', '')
         FROM events WHERE seq > ? ORDER BY seq LIMIT ? RETURNING rowid`,
    );
    this.saveMark = db.prepare(`UPDATE meta SET value = ? WHERE key = 'text_indexed_seq'`);
    this.highestSeq = db.prepare('SELECT max(seq) AS seq FROM events');
  }

  get indexedThroughSeq(): number {
    return this.indexed;
  }

  /** Indexes up to `maxRows` events after the mark, in one transaction; returns how many. */
  indexNext(maxRows: number): number {
    let count = 0;
    this.db.transaction(() => {
      let highest = this.indexed;
      for (const row of this.insertSlice.iterate(this.indexed, maxRows) as IterableIterator<{ rowid: number }>) {
        count++;
        if (row.rowid > highest) highest = row.rowid;
      }
      if (highest > this.indexed) {
        this.saveMark.run(highest);
        this.indexed = highest;
      }
    })();
    return count;
  }

  /** Indexes everything stored so far (tests, tools); returns how many rows. */
  catchUp(): number {
    let total = 0;
    for (let n = this.indexNext(10_000); n > 0; n = this.indexNext(10_000)) total += n;
    return total;
  }

  /** Starts indexing in the background; `onError` hears a failed slice (the next one retries). */
  start(onError: (err: unknown) => void): void {
    const run = (): void => {
      let delayMs = IDLE_POLL_MS;
      try {
        const head = (this.highestSeq.get() as { seq: number | null }).seq ?? 0;
        const isBusy = head !== this.lastSeenSeq;
        this.lastSeenSeq = head;
        if (head > this.indexed) {
          const { duty, sliceMs } = isBusy ? BUSY : QUIET;
          const sliceRows = Math.min(MAX_SLICE_ROWS, Math.max(MIN_SLICE_ROWS, Math.round(sliceMs / this.msPerRow)));
          const startedMs = performance.now();
          const rows = this.indexNext(sliceRows);
          const tookMs = performance.now() - startedMs;
          if (rows > 0) this.msPerRow = 0.7 * this.msPerRow + (0.3 * tookMs) / rows;
          if (rows === sliceRows) delayMs = Math.max(1, (tookMs * (1 - duty)) / duty);
        }
      } catch (err) {
        onError(err);
      }
      this.timer = setTimeout(run, delayMs);
      this.timer.unref();
    };
    this.timer = setTimeout(run, IDLE_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
