import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';
import { startServerProcess, waitUntil } from './server-process.js';
import type { RunningTarget, Target, TargetStartOptions } from './target.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const heraldBin = join(repoRoot, 'packages/server/dist/bin/herald.js');

/**
 * Limits raised for the bench, and why: every bench connection uses the one
 * admin token (per-user and per-IP connection caps), the publisher sends a
 * publish per millisecond and S6 pushes 50,000+ events/s through one identity
 * (message and publish rates), and S7 seeds with batches of 1,000 events
 * (payload size). Everything else stays at its default.
 */
export const HERALD_BENCH_LIMITS = {
  maxConnections: 200_000,
  maxConnectionsPerUser: 200_000,
  maxConnectionsPerIp: 200_000,
  messagesPerSecond: 1_000_000,
  messageBurst: 1_000_000,
  publishesPerSecond: 10_000_000,
  maxPayloadBytes: 4 * 1024 * 1024,
} as const;

/** Herald's version from its package.json. */
export function heraldVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(repoRoot, 'packages/server/package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The server under test, built from this tree. */
export const heraldTarget: Target = {
  id: 'herald',
  summary: 'Herald from this tree (`herald serve`, SQLite store, memory bus)',
  hasDurableAck: true,
  hasHistory: true,
  hasResume: true,
  filterMode: 'server field filters (one per subscriber)',
  unavailableReason: () =>
    existsSync(heraldBin) ? undefined : `${heraldBin} is missing: run \`npm run build\` (the Herald server must be built)`,
  async start(options: TargetStartOptions): Promise<RunningTarget> {
    const port = await freePort();
    const token = randomBytes(24).toString('hex');
    const configPath = join(options.workDir, 'herald.config.json');
    writeFileSync(configPath, JSON.stringify({ limits: HERALD_BENCH_LIMITS }, null, 2));
    const env = {
      ...process.env,
      HERALD_HOST: '127.0.0.1',
      HERALD_PORT: String(port),
      HERALD_DATA_DIR: options.workDir,
      HERALD_ADMIN_TOKEN: token,
      HERALD_CONFIG: configPath,
      HERALD_LOG_LEVEL: 'warn',
      HERALD_LOG_FORMAT: 'json',
    };
    // BENCH_PROFILE_DIR=dir writes a V8 CPU profile of the Herald server per run into dir.
    const profileDir = process.env.BENCH_PROFILE_DIR;
    const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const server = startServerProcess(process.execPath, [...nodeArgs, heraldBin, 'serve'], env, options.maxConnections);
    await waitUntil(server, 'herald', 20_000, async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200);
    return {
      pid: server.pid,
      spec: { kind: 'herald', host: '127.0.0.1', port, token },
      notes: server.note === undefined ? [] : [server.note],
      connectionCapacity: server.connectionCapacity,
      stop: () => server.stop(),
    };
  },
};
