import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { sleep } from '../clock.js';

/** Open files a server process may hold beyond its connections. */
const FD_HEADROOM = 1_024;

/** A started server child process. */
export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** The last few KiB of its output, for error messages. */
  outputTail(): string;
  /** Resolves with the exit code once it ended. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
  /** Set when the open-files limit was raised for it. */
  note?: string;
}

/**
 * Whether the soft open-files limit of this shell would stop a server from
 * holding `connections`; root may raise it for the child with `prlimit`.
 */
function raisedLimitPrefix(connections: number): { prefix: string[]; note?: string } {
  const needed = connections + FD_HEADROOM;
  const current = Number(spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isFinite(current) || current >= needed) return { prefix: [] };
  const hasPrlimit = spawnSync('sh', ['-c', 'command -v prlimit'], { encoding: 'utf8' }).status === 0;
  if (process.getuid?.() !== 0 || !hasPrlimit) return { prefix: [], note: `server open-files limit ${current} < ${needed}; not raised (needs root and prlimit)` };
  return { prefix: ['prlimit', `--nofile=${needed}:${needed}`, '--'], note: `server open-files limit raised to ${needed} (from ${current}) with prlimit` };
}

/**
 * Spawns a server; `prlimit` execs the command, so the pid is the server's
 * own and its /proc figures are the server's.
 */
export function startServerProcess(command: string, args: string[], env: NodeJS.ProcessEnv, connections: number): ServerProcess {
  const { prefix, note } = raisedLimitPrefix(connections);
  const [file, ...rest] = [...prefix, command, ...args];
  const child = spawn(file!, rest, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-4_096);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.on('error', (error) => keep(Buffer.from(`spawn failed: ${error.message}\n`)));
  return {
    child,
    pid: child.pid ?? -1,
    outputTail: () => tail,
    exited,
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
