import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { sleep } from '../clock.js';

/** Open files a server process may hold beyond its connections. */
const FD_HEADROOM = 1_024;

/** Servers still running, killed if the bench exits early (Ctrl-C, a crash). */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** A started server child process. */
export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** The last few KiB of its output, for error messages. */
  outputTail(): string;
  /** Resolves with the exit code once it ended. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
  /** Connections its open-files limit allows. */
  connectionCapacity: number;
  /** Set when the open-files limit was raised or is too low. */
  note?: string;
}

/** Open files a server needs besides its connections when the limit is tight (listen socket, store, logs). */
const FD_RESERVED = 100;

let canRaiseMemo: boolean | undefined;

/** Whether this process may raise a child's open-files limit (root with CAP_SYS_RESOURCE and prlimit). */
function canRaiseLimit(to: number): boolean {
  canRaiseMemo ??= spawnSync('prlimit', [`--nofile=${to}:${to}`, '--', 'true']).status === 0;
  return canRaiseMemo;
}

/** How a server is started so it can hold `connections`, and how many it can hold. */
interface FdPlan {
  prefix: string[];
  capacity: number;
  note?: string;
}

/**
 * Node and Go raise their soft open-files limit to the hard one, so the hard
 * limit is what counts. When it is too low the child gets a raised one via
 * `prlimit` if allowed; otherwise the run is capped and says so.
 */
function fdPlan(connections: number): FdPlan {
  const hard = Number(spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim());
  const needed = connections + FD_HEADROOM;
  if (!Number.isFinite(hard) || hard >= needed) return { prefix: [], capacity: Number.isFinite(hard) ? hard - FD_RESERVED : connections };
  if (canRaiseLimit(needed))
    return {
      prefix: ['prlimit', `--nofile=${needed}:${needed}`, '--'],
      capacity: connections,
      note: `server open-files limit raised to ${needed} (from ${hard}) with prlimit`,
    };
  const capacity = hard - FD_RESERVED;
  return {
    prefix: [],
    capacity,
    note: `server open-files limit is ${hard} and could not be raised: at most ${capacity.toLocaleString('en-US')} connections`,
  };
}

/**
 * Spawns a server; `prlimit` execs the command, so the pid is the server's
 * own and its /proc figures are the server's.
 */
export function startServerProcess(command: string, args: string[], env: NodeJS.ProcessEnv, connections: number): ServerProcess {
  const { prefix, note, capacity } = fdPlan(connections);
  const [file, ...rest] = [...prefix, command, ...args];
  const child = spawn(file!, rest, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-4_096);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  live.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      live.delete(child);
      resolve(code);
    }),
  );
  child.on('error', (error) => keep(Buffer.from(`spawn failed: ${error.message}\n`)));
  return {
    child,
    pid: child.pid ?? -1,
    outputTail: () => tail,
    exited,
    connectionCapacity: capacity,
    note,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const ended = await Promise.race([exited.then(() => true), sleep(3_000).then(() => false)]);
      if (!ended) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** Waits until `check` is true, polling; throws after `timeoutMs` or when the process exits. */
export async function waitUntil(server: ServerProcess, what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  let hasExited = false;
  void server.exited.then(() => (hasExited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited) throw new Error(`${what} exited before it was ready:\n${server.outputTail()}`);
    if (await check().catch(() => false)) return;
    await sleep(50);
  }
  await server.stop();
  throw new Error(`${what} not ready after ${timeoutMs} ms:\n${server.outputTail()}`);
}
