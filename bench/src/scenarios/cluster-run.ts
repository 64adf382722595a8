// The cluster fan-out scenario: S3's load (1,000 subscribers × 1,000
// events/s) over 1, 2 and 3 Herald nodes sharing a Redis bus and a
// PostgreSQL store, subscribers spread evenly over the nodes, one publisher
// on the first node. Prints one table row per node count and writes
// bench/results/cluster.md and .json.
//
//   npm run bench:cluster                 # 1, 2 and 3 nodes
//   npm run bench:cluster -- --nodes 1,3 --subscribers 600 --rate 500 --quick
//   (--no-baseline leaves out the first row: one node on the memory bus and
//   SQLite, which shows what this machine gives a single node at the time)
//
// BENCH_REDIS_URL (default redis://127.0.0.1:6379/0) and BENCH_POSTGRES_URL
// (default postgres://postgres@127.0.0.1:5432/test) say where the shared
// services are; each run uses its own key prefix and schema and removes them.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nowUs, sleep } from '../clock.js';
import { readCpuUs, readMachineBusyUs } from '../proc/proc-stats.js';
import { mergeEncoded } from '../stats/latency.js';
import { freePort } from '../targets/free-port.js';
import { HERALD_BENCH_LIMITS } from '../targets/herald-target.js';
import { startServerProcess, waitUntil, type ServerProcess } from '../targets/server-process.js';
import type { CountsResult, PublishResult, SubscribeResult, SubscriberReport } from '../worker/messages.js';
import { killWorkers, spawnWorkers } from '../worker/worker-handle.js';
import { splitRanges } from './fanout-run.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const heraldBin = join(repoRoot, 'packages/server/dist/bin/herald.js');
const resultsDir = fileURLToPath(new URL('../../results/', import.meta.url));

interface Options {
  nodeCounts: number[];
  subscribers: number;
  ratePerS: number;
  warmupMs: number;
  windowMs: number;
  drainMs: number;
}

/** One node count's figures. */
export interface ClusterRow {
  nodes: number;
  /** The single-node baseline on this same machine: memory bus and SQLite, no Redis or PostgreSQL. */
  isBaseline: boolean;
  subscribers: number;
  sentInWindow: number;
  expected: number;
  delivered: number;
  deliveriesPerS: number;
  p50Ms: number;
  p99Ms: number;
  /** Per node: CPU over the window as % of one core, and deliveries it made. */
  perNode: Array<{ cpuPct: number; deliveriesPerS: number; usPerDelivery: number }>;
  machineCpuPct: number;
  loadAvg1: number;
}

function parseOptions(argv: string[]): Options {
  const isQuick = argv.includes('--quick');
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const nodeCounts = (value('--nodes') ?? '1,2,3').split(',').map(Number);
  if (nodeCounts.some((n) => !Number.isInteger(n) || n < 1 || n > 8)) throw new Error('--nodes takes node counts from 1 to 8, e.g. 1,2,3');
  return {
    nodeCounts,
    subscribers: Number(value('--subscribers') ?? 1_000),
    ratePerS: Number(value('--rate') ?? 1_000),
    warmupMs: isQuick ? 750 : 1_500,
    windowMs: isQuick ? 1_500 : 4_000,
    drainMs: isQuick ? 1_000 : 3_000,
  };
}

/** Starts `count` nodes of one fresh deployment; resolves with their processes and ports. */
async function startCluster(
  count: number,
  workDir: string,
  token: string,
  store: string | undefined,
  bus: string,
): Promise<Array<{ server: ServerProcess; port: number }>> {
  const configPath = join(workDir, 'herald.config.json');
  writeFileSync(configPath, JSON.stringify({ limits: HERALD_BENCH_LIMITS }, null, 2));
  const nodes: Array<{ server: ServerProcess; port: number }> = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const env = {
      ...process.env,
      HERALD_HOST: '127.0.0.1',
      HERALD_PORT: String(port),
      HERALD_DATA_DIR: join(workDir, `node${i + 1}`),
      HERALD_ADMIN_TOKEN: token,
      HERALD_CONFIG: configPath,
      ...(store !== undefined ? { HERALD_STORE: store } : {}),
      HERALD_BUS: bus,
      HERALD_NODE_ID: `bench-node${i + 1}`,
      HERALD_LOG_LEVEL: 'warn',
      HERALD_LOG_FORMAT: 'json',
      HERALD_METRICS_EVENT_INTERVAL_MS: '0',
    };
    const server = startServerProcess(process.execPath, [heraldBin, 'serve'], env, 4_000);
    nodes.push({ server, port });
  }
  await Promise.all(
    nodes.map(({ server, port }, i) =>
      waitUntil(server, `herald node ${i + 1}`, 30_000, async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200),
    ),
  );
  return nodes;
}

/** One run: N nodes, subscribers spread evenly, the publisher on node 1. */
async function runNodes(count: number, o: Options, isBaseline = false): Promise<ClusterRow> {
  const workDir = mkdtempSync(join(tmpdir(), 'herald-bench-cluster-'));
  const token = randomBytes(24).toString('hex');
  const schema = `herald_bench_${randomBytes(5).toString('hex')}`;
  const prefix = `herald-bench-${randomBytes(5).toString('hex')}:`;
  const pgUrl = new URL(process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
  pgUrl.searchParams.set('schema', schema);
  const redisUrl = new URL(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/0');
  redisUrl.searchParams.set('prefix', prefix);
  const nodes = isBaseline
    ? await startCluster(1, workDir, token, undefined, 'memory')
    : await startCluster(count, workDir, token, pgUrl.toString(), redisUrl.toString());
  const subscribers = spawnWorkers(count);
  const [publisher] = spawnWorkers(1);
  try {
    const specOf = (i: number) => ({ kind: 'herald' as const, host: '127.0.0.1', port: nodes[i]!.port, token });
    const opened = await Promise.all(
      splitRanges(o.subscribers, count).map((range, k) =>
        subscribers[k]!.call<SubscribeResult>(
          {
            cmd: 'subscribe',
            spec: specOf(k),
            roles: { firstIndex: range.first, count: range.count, isGrouped: false },
            isDeflateOffered: false,
            client: 'minimal',
            timeoutMs: 15_000,
            concurrency: 250,
          },
          30_000,
        ),
      ),
    );
    const connected = opened.reduce((sum, r) => sum + r.connected, 0);
    if (connected < o.subscribers)
      process.stderr.write(`note: ${o.subscribers - connected} subscribers failed: ${opened.find((r) => r.firstError)?.firstError}\n`);
    const startUs = nowUs() + 300_000;
    const fromUs = startUs + o.warmupMs * 1000;
    const toUs = fromUs + o.windowMs * 1000;
    await Promise.all(subscribers.map((w) => w.call({ cmd: 'window', fromUs, toUs }, 5_000)));
    const cpu = sampleCpu(
      nodes.map((n) => n.server.pid),
      fromUs,
      toUs,
    );
    const published = await publisher!.call<PublishResult>(
      { cmd: 'publish', spec: specOf(0), ratePerS: o.ratePerS, startUs, fromUs, toUs, payloadBytes: 256, isGrouped: false, client: 'minimal' },
      o.warmupMs + o.windowMs + 20_000,
    );
    const sentInWindow = published.sentInWindowByGroup.reduce((a, b) => a + b, 0);
    for (const error of published.errors.slice(0, 3)) process.stderr.write(`publisher: ${error}\n`);
    if (published.acked < published.sent)
      process.stderr.write(`note: ${published.sent - published.acked} of ${published.sent} publishes not acknowledged\n`);
    const expected = sentInWindow * connected;
    const deadline = Date.now() + o.drainMs;
    while (Date.now() < deadline) {
      // A generator too busy to answer is still receiving: wait out the drain instead.
      const counts = await Promise.all(subscribers.map((w) => w.call<CountsResult>({ cmd: 'counts' }, 5_000))).catch(() => undefined);
      if (counts && counts.reduce((s, c) => s + c.delivered, 0) >= expected) break;
      await sleep(150);
    }
    const reports = await Promise.all(subscribers.map((w) => w.call<SubscriberReport>({ cmd: 'report' }, 30_000)));
    for (const error of new Set(reports.flatMap((r) => r.errors))) process.stderr.write(`subscriber: ${error}\n`);
    const sample = await cpu;
    const windowS = o.windowMs / 1000;
    const latency = mergeEncoded(reports.map((r) => r.histogram));
    return {
      nodes: count,
      isBaseline,
      subscribers: connected,
      sentInWindow,
      expected,
      delivered: reports.reduce((s, r) => s + r.delivered, 0),
      deliveriesPerS: reports.reduce((s, r) => s + r.receivedInWindow, 0) / windowS,
      p50Ms: latency.p50Ms,
      p99Ms: latency.p99Ms,
      perNode: sample.nodesUs.map((us, i) => {
        const deliveries = reports[i]!.receivedInWindow;
        return {
          cpuPct: (us / (o.windowMs * 1000)) * 100,
          deliveriesPerS: deliveries / windowS,
          usPerDelivery: deliveries > 0 ? us / deliveries : NaN,
        };
      }),
      machineCpuPct: (sample.machineUs / (o.windowMs * 1000)) * 100,
      loadAvg1: loadavg()[0]!,
    };
  } finally {
    killWorkers([...subscribers, publisher!]);
    await Promise.all(nodes.map((n) => n.server.stop()));
    spawnSync(
      'psql',
      [process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test', '-qc', `DROP SCHEMA IF EXISTS "${schema}" CASCADE`],
      { stdio: 'ignore' },
    );
    const host = redisUrl.hostname;
    const port = redisUrl.port || '6379';
    const keys =
      spawnSync('redis-cli', ['-h', host, '-p', port, '--scan', '--pattern', `${prefix}*`], { encoding: 'utf8' })
        .stdout?.split('\n')
        .filter(Boolean) ?? [];
    if (keys.length > 0) spawnSync('redis-cli', ['-h', host, '-p', port, 'DEL', ...keys], { stdio: 'ignore' });
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** CPU µs of each node and of the machine inside [fromUs, toUs). */
function sampleCpu(pids: number[], fromUs: number, toUs: number): Promise<{ nodesUs: number[]; machineUs: number }> {
  return new Promise((resolve) => {
    let start: number[] = [];
    let machine = 0;
    const now = nowUs();
    setTimeout(
      () => {
        start = pids.map(readCpuUs);
        machine = readMachineBusyUs();
      },
      Math.max(0, (fromUs - now) / 1000),
    );
    setTimeout(
      () => resolve({ nodesUs: pids.map((pid, i) => readCpuUs(pid) - start[i]!), machineUs: readMachineBusyUs() - machine }),
      Math.max(0, (toUs - now) / 1000),
    );
  });
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '—';

/**
 * The table: aggregate deliveries/s, CPU and µs per delivery per node, and
 * what one dedicated core per node would give (1,000,000 / µs per delivery,
 * summed over the nodes): on a shared 2-core machine the nodes compete.
 */
export function clusterTable(rows: ClusterRow[]): string {
  const lines = [
    '| nodes | deliveries/s (aggregate) | p99 | CPU per node (% of a core) | µs per delivery per node | one core per node would give | load avg (1 min) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const projected = r.perNode.reduce((s, n) => s + (Number.isFinite(n.usPerDelivery) ? 1e6 / n.usPerDelivery : 0), 0);
    lines.push(
      `| ${r.isBaseline ? '1 (memory bus, SQLite: the single-node baseline)' : r.nodes} | ${fmt(r.deliveriesPerS)} (${fmt((r.delivered / Math.max(1, r.expected)) * 100, 1)}% of ${fmt(r.expected)} owed delivered) | ${fmt(r.p99Ms, 1)} ms | ${r.perNode.map((n) => fmt(n.cpuPct)).join(' / ')} | ${r.perNode.map((n) => fmt(n.usPerDelivery, 2)).join(' / ')} | ~${fmt(projected)}/s | ${fmt(r.loadAvg1, 2)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const rows: ClusterRow[] = [];
  if (!process.argv.includes('--no-baseline')) {
    process.stderr.write(`baseline: 1 node, memory bus and SQLite …\n`);
    rows.push(await runNodes(1, o, true));
  }
  for (const n of o.nodeCounts) {
    process.stderr.write(`cluster fan-out: ${n} node(s), ${o.subscribers} subscribers × ${o.ratePerS} events/s …\n`);
    rows.push(await runNodes(n, o));
  }
  const table = clusterTable(rows);
  const text = `# Cluster fan-out (S3 over 1, 2 and 3 nodes)\n\n${new Date().toISOString()}, \`npm run bench:cluster -- ${process.argv.slice(2).join(' ')}\`, ${o.subscribers} subscribers spread evenly over the nodes, ${o.ratePerS} events/s of 256 bytes published to node 1, Redis bus and PostgreSQL store on the same machine.\n\n${table}\n`;
  process.stdout.write(`\n${table}\n`);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'cluster.md'), text);
  writeFileSync(join(resultsDir, 'cluster.json'), JSON.stringify({ date: new Date().toISOString(), options: o, rows }, null, 2));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
