import type { FanoutCase, Scenario, Timing } from './scenario.js';

/** Event data size in the fan-out scenarios, bytes (issue 5, S1). */
export const PAYLOAD_BYTES = 256;

const fanout = (subscribers: number, ratePerS: number, extra: Partial<FanoutCase> = {}): FanoutCase => ({
  kind: 'fanout',
  subscribers,
  ratePerS,
  payloadBytes: PAYLOAD_BYTES,
  isGrouped: false,
  isDeflate: false,
  client: 'minimal',
  ...extra,
});

/** A fan-out case twice: the minimal client, then the `ws` client at its defaults with one event per message. */
const bothClients = (c: FanoutCase): FanoutCase[] => [c, { ...c, client: 'ws-default' }];

const FULL: Timing = { warmupMs: 1_500, windowMs: 4_000, drainMs: 3_000 };
const QUICK: Timing = { warmupMs: 750, windowMs: 1_500, drainMs: 1_000 };

/**
 * The scenarios of issue 5. Quick mode (under 2 minutes) keeps S1, S3, S5
 * and the Herald-only ones at reduced sizes, with short windows; full mode
 * (under 15 minutes) runs all nine at the sizes.
 */
export function catalogue(isQuick: boolean): Scenario[] {
  const timing = isQuick ? QUICK : FULL;
  // Two interleaved repetitions for the headline scenarios in full mode; one elsewhere keeps the run under 15 minutes.
  const reps = isQuick ? 1 : 2;
  const all: Array<Scenario & { isInQuick: boolean }> = [
    {
      id: 'S1',
      title: 'reference load: 100 subscribers × 1,000 events/s, 256-byte events',
      goal: 'p99 ≤ 2 ms and no undelivered events',
      cases: bothClients(fanout(100, 1_000)),
      reps,
      timing,
      isInQuick: true,
    },
    {
      id: 'S2',
      title: '1,000 subscribers × 200 events/s',
      goal: 'none of its own; the baseline for S9',
      cases: [fanout(1_000, 200)],
      reps: 1,
      timing,
      isInQuick: false,
    },
    {
      id: 'S3',
      title: 'saturation: 1,000 subscribers × 1,000 events/s (1M deliveries/s offered)',
      goal: 'deliveries/s ≥ 0.8 × ws-once and ≥ 3 × socket.io; p99 ≤ 50 ms',
      cases: bothClients(fanout(1_000, 1_000)),
      reps,
      timing,
      isInQuick: true,
    },
    {
      id: 'S4',
      title: 'filtered: 1,000 subscribers, each a different field filter matching 10% of 10,000 events/s (1M deliveries/s offered, as S3)',
      goal: 'deliveries/s ≥ 0.6 × Herald S3',
      cases: [fanout(1_000, 10_000, { isGrouped: true })],
      reps: 1,
      timing,
      isInQuick: false,
    },
    {
      id: 'S5',
      title: 'idle subscribed connections: server memory per connection',
      goal: '≤ 10 KiB per idle subscribed connection',
      cases: (isQuick ? [2_000] : [5_000, 20_000]).flatMap((connections) => [
        { kind: 'idle', connections, client: 'minimal' } as const,
        { kind: 'idle', connections, client: 'ws-default' } as const,
      ]),
      reps: 1,
      timing,
      isInQuick: true,
    },
    {
      id: 'S6',
      title: 'durable ingest: events/s acknowledged after storage',
      goal: '≥ 50,000 events/s over WS with batches; ≥ 10,000/s over HTTP, one event per request',
      cases: [
        ...(isQuick ? [] : [{ kind: 'ingest', mode: 'http', publishers: 1, batchSize: 1 } as const]),
        { kind: 'ingest', mode: 'http', publishers: 20, batchSize: 1 },
        ...(isQuick ? [] : [{ kind: 'ingest', mode: 'ws', publishers: 1, batchSize: 100 } as const]),
        { kind: 'ingest', mode: 'ws', publishers: 20, batchSize: 100 },
      ],
      reps: 1,
      timing,
      isInQuick: true,
    },
    {
      id: 'S7',
      title: `history: filtered query latency over ${isQuick ? '20,000' : '1,000,000'} stored events`,
      goal: 'p95 ≤ 50 ms',
      cases: [{ kind: 'history', storedEvents: isQuick ? 20_000 : 1_000_000 }],
      reps: 1,
      timing,
      isInQuick: true,
    },
    {
      id: 'S8',
      title: `resume storm: ${isQuick ? '200' : '1,000'} clients reconnect at once with since ${isQuick ? '1,000' : '10,000'} events back`,
      goal: 'all caught up within 5 s',
      cases: [isQuick ? { kind: 'resume', clients: 200, back: 1_000 } : { kind: 'resume', clients: 1_000, back: 10_000 }],
      reps: 1,
      timing,
      isInQuick: true,
    },
    {
      id: 'S9',
      title: 'compression: S2 with permessage-deflate offered by clients, as browsers do',
      goal: '≥ 0.5 × Herald S2 deliveries/s',
      cases: [fanout(1_000, 200, { isDeflate: true })],
      reps: 1,
      timing,
      isInQuick: false,
    },
  ];
  return all.filter((s) => !isQuick || s.isInQuick).map(({ isInQuick: _, ...scenario }) => scenario);
}
