import { mergeEncoded } from '../stats/latency.js';
import type { RunningTarget } from '../targets/target.js';
import type { HistoryResult, SeedResult } from '../worker/messages.js';
import { killWorkers, spawnWorkers, type WorkerHandle } from '../worker/worker-handle.js';
import { SEED_NEEDLE, SEED_TYPES } from '../worker/seed.js';
import type { HistoryCase } from './scenario.js';

/** Seed batches (the 1,000) and how many are in flight. */
const SEED_BATCH = 1_000;
const SEED_IN_FLIGHT = 4;

/** The queries of S7, each a filter a dashboard user would set; `pages` follows the cursor. */
export const HISTORY_QUERIES = [
  { name: 'latest 100', query: 'limit=100', pages: 1 },
  { name: 'one type', query: `limit=100&types=${SEED_TYPES[1]}`, pages: 1 },
  { name: 'severity error', query: 'limit=100&severity=error', pages: 1 },
  { name: 'type + severity', query: `limit=100&types=${SEED_TYPES[2]}&severity=critical`, pages: 1 },
  { name: 'search (0.1% match)', query: `limit=100&search=${SEED_NEEDLE}`, pages: 1 },
  { name: 'type, 5 pages deep', query: `limit=100&types=${SEED_TYPES[3]}`, pages: 5 },
];

/** Longest wait for a text index that fills behind the log, ms. */
const INDEX_WAIT_MS = 180_000;

/**
 * Waits until the server's `/health` says its text-search index reached
 * every stored event (Herald's SQLite store fills it behind the log); returns
 * the seconds that took, 0 when there is nothing to wait for.
 */
async function waitForTextIndex(target: RunningTarget): Promise<number> {
  if (target.spec.kind !== 'herald') return 0;
  const startMs = Date.now();
  while (Date.now() - startMs < INDEX_WAIT_MS) {
    const health = (await (await fetch(`http://${target.spec.host}:${target.spec.port}/health`)).json()) as {
      store?: { text_index_lag_events?: number };
    };
    if ((health.store?.text_index_lag_events ?? 0) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return (Date.now() - startMs) / 1000;
}

/** Stores `count` events through one generator; shared by S7 and S8. */
export async function seedEvents(worker: WorkerHandle, target: RunningTarget, count: number): Promise<SeedResult> {
  const seeded = await worker.call<SeedResult>(
    { cmd: 'seed', spec: target.spec, count, batchSize: SEED_BATCH, inFlight: SEED_IN_FLIGHT },
    600_000,
  );
  if (seeded.stored < count) throw new Error(`stored only ${seeded.stored} of ${count} events: ${seeded.errors.join('; ')}`);
  return seeded;
}

/** S7: seed, then time each query in turn. One result row per query. */
export async function runHistory(
  target: RunningTarget,
  c: HistoryCase,
  windowMs: number,
): Promise<Array<{ label: string; metrics: Record<string, number>; notes: string[] }>> {
  const [worker] = spawnWorkers(1) as [WorkerHandle];
  try {
    const seeded = await seedEvents(worker, target, c.storedEvents);
    const seedRate = seeded.stored / (seeded.elapsedMs / 1000);
    // Queries are timed once the text index caught up; how long that took is reported beside them.
    const indexCatchUpS = await waitForTextIndex(target);
    const result = await worker.call<HistoryResult>(
      { cmd: 'history', spec: target.spec, queries: HISTORY_QUERIES, rounds: 200, maxMs: windowMs * 3 },
      windowMs * 3 + 120_000,
    );
    return HISTORY_QUERIES.map((q) => {
      const entry = result.byQuery[q.name]!;
      const latency = mergeEncoded([entry.histogram]);
      return {
        label: q.name,
        metrics: {
          storedEvents: seeded.stored,
          seedEventsPerS: seedRate,
          indexCatchUpS,
          requests: latency.count,
          rowsPerRequest: entry.runs > 0 ? entry.rows / entry.runs : NaN,
          p50Ms: latency.p50Ms,
          p95Ms: latency.p95Ms,
          maxMs: latency.maxMs,
        },
        notes: result.errors.filter((e) => e.startsWith(`${q.name}:`)),
      };
    });
  } finally {
    killWorkers([worker]);
  }
}
