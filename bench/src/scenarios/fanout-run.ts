import { nowUs, sleep } from '../clock.js';
import { GROUP_COUNT } from '../load/payload.js';
import { readMemoryKiB } from '../proc/proc-stats.js';
import { mergeEncoded } from '../stats/latency.js';
import type { RunningTarget } from '../targets/target.js';
import type { CountsResult, PublishResult, SubscribeResult, SubscriberReport } from '../worker/messages.js';
import { killWorkers, spawnWorkers, type WorkerHandle } from '../worker/worker-handle.js';
import type { FanoutCase, Timing } from './scenario.js';
import { cpuPercent, sampleWindowCpu, type WindowCpuSample } from './server-sampler.js';

/** Subscribers one generator process takes in the fan-out scenarios. */
const SUBSCRIBERS_PER_PROCESS = 500;
/** Most generator processes: the machine has two cores, shared with the server. */
const MAX_SUBSCRIBER_PROCESSES = 2;

/** Splits `total` into `parts` near-equal ranges. */
export function splitRanges(total: number, parts: number): Array<{ first: number; count: number }> {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  let first = 0;
  return Array.from({ length: parts }, (_, k) => {
    const count = base + (k < extra ? 1 : 0);
    const range = { first, count };
    first += count;
    return range;
  });
}

/** Deliveries owed for the events sent in the window, given who subscribed to which group. */
export function expectedDeliveries(sentByGroup: number[], subscribers: number, isGrouped: boolean): number {
  if (!isGrouped) return (sentByGroup[0] ?? 0) * subscribers;
  let total = 0;
  for (let g = 0; g < GROUP_COUNT; g++) {
    const inGroup = Math.floor(subscribers / GROUP_COUNT) + (g < subscribers % GROUP_COUNT ? 1 : 0);
    total += (sentByGroup[g] ?? 0) * inGroup;
  }
  return total;
}

/**
 * One fan-out run: subscribe, warm up, measure, drain, report. Subscribers
 * and publisher live in their own processes; this process only times the
 * window and reads the server's /proc figures.
 */
export async function runFanout(
  target: RunningTarget,
  c: FanoutCase,
  timing: Timing,
): Promise<{ metrics: Record<string, number>; notes: string[] }> {
  const processes = Math.min(MAX_SUBSCRIBER_PROCESSES, Math.ceil(c.subscribers / SUBSCRIBERS_PER_PROCESS));
  const subscribers = spawnWorkers(processes);
  const [publisher] = spawnWorkers(1) as [WorkerHandle];
  const notes: string[] = [];
  try {
    const opened = await Promise.all(
      splitRanges(c.subscribers, processes).map((range, k) =>
        subscribers[k]!.call<SubscribeResult>(
          {
            cmd: 'subscribe',
            spec: target.spec,
            roles: { firstIndex: range.first, count: range.count, isGrouped: c.isGrouped },
            isDeflateOffered: c.isDeflate,
            client: c.client,
            timeoutMs: 15_000,
            concurrency: 250,
          },
          30_000,
        ),
      ),
    );
    const connected = opened.reduce((sum, r) => sum + r.connected, 0);
    const failed = opened.reduce((sum, r) => sum + r.failed, 0);
    if (failed > 0) notes.push(`${failed} subscribers failed to subscribe (${opened.find((r) => r.firstError)?.firstError ?? ''})`);
    if (connected === 0) throw new Error(`no subscriber could subscribe: ${opened[0]?.firstError ?? 'unknown'}`);

    const startUs = nowUs() + 300_000;
    const fromUs = startUs + timing.warmupMs * 1000;
    const toUs = fromUs + timing.windowMs * 1000;
    await Promise.all(subscribers.map((w) => w.call({ cmd: 'window', fromUs, toUs }, 5_000)));
    const windowCpu = sampleWindowCpu(target.pid, fromUs, toUs);
    const published = await publisher.call<PublishResult>(
      {
        cmd: 'publish',
        spec: target.spec,
        ratePerS: c.ratePerS,
        startUs,
        fromUs,
        toUs,
        payloadBytes: c.payloadBytes,
        isGrouped: c.isGrouped,
        client: c.client,
      },
      timing.warmupMs + timing.windowMs + 20_000,
    );
    const expected = expectedDeliveries(published.sentInWindowByGroup, connected, c.isGrouped);
    await drain(subscribers, expected, timing.drainMs);
    const reports = await Promise.all(subscribers.map((w) => w.call<SubscriberReport>({ cmd: 'report' }, 30_000)));
    return {
      metrics: fanoutMetrics(c, connected, published, expected, reports, await windowCpu, target.pid, timing),
      notes: [...notes, ...reportNotes(published, reports)],
    };
  } finally {
    killWorkers([...subscribers, publisher]);
  }
}

/**
 * Waits until every owed delivery arrived, the count stops moving, or
 * `drainMs` passed. A generator still busy reading a backlog (the `ws` client
 * at saturation) may answer late: that poll counts as "still moving".
 */
async function drain(workers: WorkerHandle[], expected: number, drainMs: number): Promise<void> {
  const deadline = Date.now() + drainMs;
  let last = -1;
  let stableFor = 0;
  while (Date.now() < deadline) {
    let delivered: number;
    try {
      const counts = await Promise.all(workers.map((w) => w.call<CountsResult>({ cmd: 'counts' }, Math.max(1_000, deadline - Date.now()))));
      delivered = counts.reduce((sum, r) => sum + r.delivered, 0);
    } catch {
      continue;
    }
    if (delivered >= expected) return;
    stableFor = delivered === last ? stableFor + 1 : 0;
    if (stableFor >= 3) return;
    last = delivered;
    await sleep(150);
  }
}

function fanoutMetrics(
  c: FanoutCase,
  connected: number,
  published: PublishResult,
  expected: number,
  reports: SubscriberReport[],
  cpu: WindowCpuSample,
  pid: number,
  timing: Timing,
): Record<string, number> {
  const windowUs = timing.windowMs * 1000;
  const delivered = reports.reduce((sum, r) => sum + r.delivered, 0);
  const receivedInWindow = reports.reduce((sum, r) => sum + r.receivedInWindow, 0);
  const latency = mergeEncoded(reports.map((r) => r.histogram));
  const sentInWindow = published.sentInWindowByGroup.reduce((a, b) => a + b, 0);
  const genCpu = reports.map((r) => cpuPercent(r.cpuUs, windowUs));
  const serverCpuUs = cpu.serverUs;
  const oursUs = serverCpuUs + published.cpuUs + reports.reduce((sum, r) => sum + r.cpuUs, 0);
  return {
    subscribers: connected,
    offeredEventsPerS: c.ratePerS,
    sentInWindow,
    expected,
    delivered,
    deliveriesPerS: receivedInWindow / (windowUs / 1e6),
    undelivered: Math.max(0, expected - delivered),
    p50Ms: latency.p50Ms,
    p90Ms: latency.p90Ms,
    p99Ms: latency.p99Ms,
    maxMs: latency.maxMs,
    serverCpuPct: cpuPercent(serverCpuUs, windowUs),
    serverUsPerEvent: sentInWindow > 0 ? serverCpuUs / sentInWindow : NaN,
    serverPeakRssMiB: readMemoryKiB(pid).peakRss / 1024,
    generatorCpuPct: genCpu.reduce((a, b) => a + b, 0),
    generatorMaxProcessCpuPct: Math.max(...genCpu),
    publisherCpuPct: cpuPercent(published.cpuUs, windowUs),
    // Everything else on the machine in the window: other workloads, the kernel's softirq share.
    otherCpuPct: Math.max(0, cpuPercent(cpu.machineUs - oursUs, windowUs)),
  };
}

function reportNotes(published: PublishResult, reports: SubscriberReport[]): string[] {
  const notes: string[] = [];
  if (published.lateTicks > 0) notes.push(`publisher fell behind its rate on ${published.lateTicks} ticks`);
  for (const error of published.errors) notes.push(`publisher: ${error}`);
  const closes: Record<string, number> = {};
  for (const r of reports) for (const [code, n] of Object.entries(r.closes)) closes[code] = (closes[code] ?? 0) + n;
  for (const [code, n] of Object.entries(closes)) notes.push(`${n} subscribers closed by the server (code ${code})`);
  for (const error of new Set(reports.flatMap((r) => r.errors))) notes.push(`subscriber: ${error}`);
  return notes;
}
