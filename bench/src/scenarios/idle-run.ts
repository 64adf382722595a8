import { sleep } from '../clock.js';
import { readMemoryKiB } from '../proc/proc-stats.js';
import type { RunningTarget } from '../targets/target.js';
import type { SubscribeResult } from '../worker/messages.js';
import { killWorkers, spawnWorkers } from '../worker/worker-handle.js';
import type { IdleCase } from './scenario.js';
import { splitRanges } from './fanout-run.js';

/** Connections per generator process: well under the 20,000 open-files limit. */
const CONNECTIONS_PER_PROCESS = 5_000;
/** Time for the server's memory to settle before and after connecting, ms. */
const SETTLE_MS = 1_000;

/** The source address of generator `k`: 127.0.0.2, .3, … (one per process, so no address runs out of ports). */
export function sourceAddress(k: number): string {
  return `127.0.0.${2 + k}`;
}

/**
 * S5: the server's resident memory before and after `connections` idle,
 * subscribed clients, divided per connection. Peak RSS would count garbage
 * not yet collected, so the current RSS after a settle is used.
 */
export async function runIdle(target: RunningTarget, c: IdleCase): Promise<{ metrics: Record<string, number>; notes: string[] }> {
  const connections = Math.min(c.connections, target.connectionCapacity);
  const processes = Math.ceil(connections / CONNECTIONS_PER_PROCESS);
  const workers = spawnWorkers(processes);
  try {
    await sleep(SETTLE_MS);
    const before = readMemoryKiB(target.pid).rss;
    const startMs = Date.now();
    const opened = await Promise.all(
      splitRanges(connections, processes).map((range, k) =>
        workers[k]!.call<SubscribeResult>(
          {
            cmd: 'subscribe',
            spec: target.spec,
            roles: { firstIndex: range.first, count: range.count, isGrouped: false },
            localAddress: sourceAddress(k),
            isDeflateOffered: false,
            client: c.client,
            timeoutMs: 30_000,
            concurrency: 500,
          },
          120_000,
        ),
      ),
    );
    const connectS = (Date.now() - startMs) / 1000;
    const connected = opened.reduce((sum, r) => sum + r.connected, 0);
    const failed = opened.reduce((sum, r) => sum + r.failed, 0);
    await sleep(SETTLE_MS);
    const after = readMemoryKiB(target.pid).rss;
    const notes =
      failed > 0 ? [`${failed} of ${connections} failed to connect (${opened.find((r) => r.firstError)?.firstError ?? ''})`] : [];
    return {
      metrics: {
        connections,
        connected,
        rssBeforeMiB: before / 1024,
        rssAfterMiB: after / 1024,
        kibPerConnection: connected > 0 ? (after - before) / connected : NaN,
        connectS,
      },
      notes,
    };
  } finally {
    killWorkers(workers);
  }
}
