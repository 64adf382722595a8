import { nowUs } from '../clock.js';
import { mergeEncoded } from '../stats/latency.js';
import type { RunningTarget } from '../targets/target.js';
import type { IngestResult } from '../worker/messages.js';
import { killWorkers, spawnWorkers } from '../worker/worker-handle.js';
import { splitRanges } from './fanout-run.js';
import type { IngestCase, Timing } from './scenario.js';
import { cpuPercent, sampleWindowCpu } from './server-sampler.js';

/** Publishers one generator process runs; HTTP clients are CPU-hungry. */
const PUBLISHERS_PER_PROCESS = 10;

/** S6: closed-loop publishers, each waiting for the durable ack before its next publish. */
export async function runIngest(
  target: RunningTarget,
  c: IngestCase,
  timing: Timing,
): Promise<{ metrics: Record<string, number>; notes: string[] }> {
  const processes = Math.ceil(c.publishers / PUBLISHERS_PER_PROCESS);
  const workers = spawnWorkers(processes);
  try {
    const fromUs = nowUs() + 300_000 + timing.warmupMs * 1000;
    const toUs = fromUs + timing.windowMs * 1000;
    const windowCpu = sampleWindowCpu(target.pid, fromUs, toUs);
    const results = await Promise.all(
      splitRanges(c.publishers, processes).map((range, k) =>
        workers[k]!.call<IngestResult>(
          { cmd: 'ingest', spec: target.spec, mode: c.mode, publishers: range.count, batchSize: c.batchSize, fromUs, toUs },
          timing.warmupMs + timing.windowMs + 30_000,
        ),
      ),
    );
    const windowUs = toUs - fromUs;
    const acked = results.reduce((sum, r) => sum + r.ackedInWindow, 0);
    const latency = mergeEncoded(results.map((r) => r.histogram));
    const cpu = await windowCpu;
    const generatorUs = results.reduce((sum, r) => sum + r.cpuUs, 0);
    return {
      metrics: {
        eventsPerS: acked / (windowUs / 1e6),
        ackP50Ms: latency.p50Ms,
        ackP99Ms: latency.p99Ms,
        serverCpuPct: cpuPercent(cpu.serverUs, windowUs),
        generatorCpuPct: cpuPercent(generatorUs, windowUs),
        otherCpuPct: Math.max(0, cpuPercent(cpu.machineUs - cpu.serverUs - generatorUs, windowUs)),
      },
      notes: [...new Set(results.flatMap((r) => r.errors))],
    };
  } finally {
    killWorkers(workers);
  }
}
