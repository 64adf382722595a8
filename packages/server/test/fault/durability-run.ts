import { expect } from 'vitest';
import type { HeraldEvent } from '@herald/protocol';
import type { EventStore } from '../../src/store/event-store.js';
import { TestClient, eventually, http, type TestServer } from '../helpers.js';

/**
 * The shared part of the fault-injection tests: publishers that post
 * batches with their own ids and retry refused batches with the same ids
 * until acknowledged, a live subscriber, and the checks of the durability
 * guarantee once the faults are over.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Longest a retry waits, ms, whatever Retry-After says: the test wants many attempts across each fault. */
const MAX_RETRY_WAIT_MS = 150;
/** Pause between a publisher's batches, ms, so 20 publishers stay a modest load on a shared machine. */
const BATCH_PAUSE_MS = 15;
/** Events per batch. */
const BATCH_EVENTS = 3;
/** A publisher gives up (and the test fails) when one batch is refused for this long, ms. */
const GIVE_UP_MS = 30_000;

export interface PublishFigures {
  publishers: number;
  batches: number;
  /** id -> seq, as acknowledged (202 or `published`). */
  acknowledged: Map<string, number>;
  /** Attempts refused with store_unavailable. */
  refusals: number;
}

/** What the live subscriber saw, in arrival order. */
export class LiveRecorder {
  readonly events: Array<{ seq: number; id: string }> = [];
  private constructor(private readonly client: TestClient) {
    client.ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { type: string; event?: HeraldEvent };
      if (m.type === 'event' && m.event) this.events.push({ seq: m.event.seq, id: m.event.id });
    });
  }

  static async start(server: TestServer): Promise<LiveRecorder> {
    const client = await TestClient.connect(server.wsUrl);
    await client.waitFor((m) => m.type === 'connected');
    const recorder = new LiveRecorder(client);
    await client.request('subscribe', { event_types: ['fault.*'] });
    return recorder;
  }

  close(): void {
    this.client.close();
  }
}

/**
 * Runs `publishers` publishers (every fourth over WebSocket, the rest over
 * HTTP) until `isDone()` turns true; each retries a refused batch with the
 * same ids. Any answer other than an acknowledgement or store_unavailable
 * fails the test.
 */
export async function runPublishers(server: TestServer, publishers: number, isDone: () => boolean): Promise<PublishFigures> {
  const figures: PublishFigures = { publishers, batches: 0, acknowledged: new Map(), refusals: 0 };
  // One publisher failing stops the others, so the test ends with that failure rather than a timeout.
  let hasFailed = false;
  const isOver = () => isDone() || hasFailed;
  const one = async (k: number) => {
    const ws = k % 4 === 3 ? await TestClient.connect(server.wsUrl) : undefined;
    if (ws) await ws.waitFor((m) => m.type === 'connected');
    try {
      for (let b = 0; !isOver() || b === 0; b++) {
        const events = Array.from({ length: BATCH_EVENTS }, (_, j) => ({ id: `p${k}-b${b}-e${j}`, type: 'fault.tick', data: { k, b, j } }));
        const started = Date.now();
        for (;;) {
          const answer = ws ? await publishOverWs(ws, events) : await publishOverHttp(server, events);
          if (answer.seqs) {
            answer.seqs.forEach((seq, j) => figures.acknowledged.set(events[j]!.id, seq));
            figures.batches++;
            break;
          }
          figures.refusals++;
          if (hasFailed) return;
          if (Date.now() - started > GIVE_UP_MS) throw new Error(`publisher ${k}: batch ${b} refused for ${GIVE_UP_MS} ms`);
          await sleep(Math.min(answer.retryAfterMs!, MAX_RETRY_WAIT_MS));
        }
        await sleep(BATCH_PAUSE_MS);
      }
    } catch (err) {
      hasFailed = true;
      throw err;
    } finally {
      ws?.close();
    }
  };
  await Promise.all(Array.from({ length: publishers }, (_, k) => one(k)));
  return figures;
}

type Answer = { seqs?: number[]; retryAfterMs?: number };

async function publishOverHttp(server: TestServer, events: object[]): Promise<Answer> {
  const r = await http(server, 'POST', '/api/events', { events });
  if (r.status === 202) return { seqs: r.body.seqs };
  // A refusal is a 503 store_unavailable with Retry-After; anything else breaks the guarantee the test is about.
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status: 503, code: 'store_unavailable' });
  const retryAfterS = Number(r.headers.get('retry-after'));
  expect(retryAfterS).toBeGreaterThanOrEqual(1);
  return { retryAfterMs: retryAfterS * 1000 };
}

async function publishOverWs(client: TestClient, events: object[]): Promise<Answer> {
  const reply = await client.request('publish', { events }, GIVE_UP_MS);
  if (reply.type === 'published') return { seqs: reply.seqs as number[] };
  expect(reply).toMatchObject({ type: 'error', code: 'store_unavailable' });
  const retryAfterMs = (reply.details as { retry_after_ms?: unknown }).retry_after_ms;
  expect(typeof retryAfterMs).toBe('number');
  return { retryAfterMs: retryAfterMs as number };
}

/** Polls /health while a fault lasts; resolves to the first degraded answer seen, if any. */
export async function watchHealth(server: TestServer, whileTrue: () => boolean): Promise<{ status: number; body: any } | undefined> {
  while (whileTrue()) {
    const r = await http(server, 'GET', '/health');
    if (r.body.status === 'degraded') return r;
    await sleep(50);
  }
  return undefined;
}

/** Waits until Herald says it is healthy again, without a restart. */
export async function waitUntilHealthy(server: TestServer): Promise<void> {
  await eventually(async () => (await http(server, 'GET', '/health')).status === 200, 20_000);
}

/** Every event in the store, ascending. */
export async function readAll(store: EventStore): Promise<HeraldEvent[]> {
  const all: HeraldEvent[] = [];
  for (let after = 0; ; ) {
    const page = await store.readAfter(after, 5_000);
    if (page.length === 0) return all;
    all.push(...page);
    after = page[page.length - 1]!.seq;
  }
}

/** A resume from seq 0 over WebSocket, up to the `replayed` marker. */
export async function resumeFromZero(server: TestServer): Promise<Array<{ seq: number; id: string }>> {
  const client = await TestClient.connect(server.wsUrl);
  await client.waitFor((m) => m.type === 'connected');
  client.send({ action: 'subscribe', id: 'resume', event_types: ['fault.*'], since: 0 });
  await client.waitFor((m) => m.type === 'replayed', 20_000);
  client.close();
  return client.events().map((e) => ({ seq: e.seq as number, id: e.id as string }));
}

export interface Verdict {
  acknowledged: number;
  stored: number;
  ghosts: number;
  missing: number;
}

/**
 * The guarantee, checked: every acknowledged id is stored once with the seq
 * it was acknowledged with; the live subscriber saw exactly the stored log,
 * in order (no ghost: nothing the log lacks; no gap); a resume from 0 gives
 * the same log.
 */
export function verify(figures: PublishFigures, stored: HeraldEvent[], live: Array<{ seq: number; id: string }>, resumed: Array<{ seq: number; id: string }>): Verdict {
  const storedById = new Map(stored.map((e) => [e.id, e.seq]));
  expect(storedById.size).toBe(stored.length);
  const missing = [...figures.acknowledged].filter(([id, seq]) => storedById.get(id) !== seq);
  expect(missing).toEqual([]);
  // Publishers retry until acknowledged, so nothing is stored that was not acknowledged in the end.
  expect(stored.length).toBe(figures.acknowledged.size);
  const bySeq = new Map(stored.map((e) => [e.seq, e.id]));
  const ghosts = live.filter((e) => bySeq.get(e.seq) !== e.id);
  expect(ghosts).toEqual([]);
  const log = stored.map((e) => ({ seq: e.seq, id: e.id }));
  expect(live).toEqual(log);
  expect(resumed).toEqual(log);
  return { acknowledged: figures.acknowledged.size, stored: stored.length, ghosts: ghosts.length, missing: missing.length };
}
