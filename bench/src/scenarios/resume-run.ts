import { nowUs } from '../clock.js';
import { readCpuUs, readMachineBusyUs, readMemoryKiB } from '../proc/proc-stats.js';
import type { RunningTarget } from '../targets/target.js';
import type { ResumeResult } from '../worker/messages.js';
import { killWorkers, spawnWorkers, type WorkerHandle } from '../worker/worker-handle.js';
import { splitRanges } from './fanout-run.js';
import { seedEvents } from './history-run.js';
import { sourceAddress } from './idle-run.js';
import type { ResumeCase } from './scenario.js';
import { cpuPercent } from './server-sampler.js';

/** Generator processes for the storm: two, so reading the replay is not one core's job. */
const RESUME_PROCESSES = 2;
/** Longest a storm may take before the stragglers count as not caught up, ms (six times the goal). */
const RESUME_TIMEOUT_MS = 30_000;

/** Percentile of µs values, ms (nearest rank). */
function percentileMs(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! / 1000;
}

/**
 * S8: store `back` events, then `clients` connect at the same instant and
 * subscribe with `since` = `back` events ago; caught up = `replayed` marker.
 */
export async function runResume(target: RunningTarget, c: ResumeCase): Promise<{ metrics: Record<string, number>; notes: string[] }> {
  const [seeder] = spawnWorkers(1) as [WorkerHandle];
  const workers = spawnWorkers(RESUME_PROCESSES);
  try {
    const seeded = await seedEvents(seeder, target, c.back);
    const since = seeded.lastSeq - c.back;
    const startUs = nowUs() + 500_000;
    let cpuBefore = NaN;
    let machineBefore = NaN;
    setTimeout(
      () => {
        cpuBefore = readCpuUs(target.pid);
        machineBefore = readMachineBusyUs();
      },
      (startUs - nowUs()) / 1000,
    );
    const results = await Promise.all(
      splitRanges(c.clients, RESUME_PROCESSES).map((range, k) =>
        workers[k]!.call<ResumeResult>(
          {
            cmd: 'resume',
            spec: target.spec,
            roles: { firstIndex: range.first, count: range.count, isGrouped: false, since },
            localAddress: sourceAddress(k),
            startUs,
            timeoutMs: RESUME_TIMEOUT_MS,
          },
          RESUME_TIMEOUT_MS + 30_000,
        ),
      ),
    );
    const spanUs = nowUs() - startUs;
    const serverCpuUs = readCpuUs(target.pid) - cpuBefore;
    const machineUs = readMachineBusyUs() - machineBefore;
    const generatorUs = results.reduce((sum, r) => sum + r.cpuUs, 0);
    const done = results.flatMap((r) => r.doneUs.filter((us) => us >= 0));
    const caughtUp = done.length;
    const replayed = results.reduce((sum, r) => sum + r.replayedEvents, 0);
    const notes = [...new Set(results.flatMap((r) => r.errors))];
    const notRecovered = results.reduce((sum, r) => sum + r.notRecovered, 0);
    if (notRecovered > 0) notes.push(`${notRecovered} clients were told recovered=false`);
    const frames = results.reduce((sum, r) => sum + r.framesReceived, 0);
    if (caughtUp < c.clients) {
      const share = (100 * frames) / (c.clients * c.back);
      notes.push(
        `${c.clients - caughtUp} clients not caught up after ${RESUME_TIMEOUT_MS / 1000} s; ${share.toFixed(0)}% of the owed replay had arrived`,
      );
    }
    return {
      metrics: {
        clients: c.clients,
        caughtUp,
        allCaughtUpS: caughtUp === c.clients ? Math.max(...done) / 1e6 : NaN,
        p50S: percentileMs(done, 50) / 1000,
        p99S: percentileMs(done, 99) / 1000,
        replayedPerClient: caughtUp > 0 ? replayed / caughtUp : NaN,
        serverCpuPct: cpuPercent(serverCpuUs, spanUs),
        serverPeakRssMiB: readMemoryKiB(target.pid).peakRss / 1024,
        generatorCpuPct: cpuPercent(generatorUs, spanUs),
        otherCpuPct: Math.max(0, cpuPercent(machineUs - serverCpuUs - generatorUs, spanUs)),
      },
      notes,
    };
  } finally {
    killWorkers([seeder, ...workers]);
  }
}
