import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Entry point of the reference MCP server with echo, get-sum and a long-running operation. */
export const EVERYTHING_ENTRY = join(dirname(require.resolve('@modelcontextprotocol/server-everything/package.json')), 'dist', 'index.js');
/** Entry point of the reference knowledge-graph MCP server. */
export const MEMORY_ENTRY = join(dirname(require.resolve('@modelcontextprotocol/server-memory/package.json')), 'dist', 'index.js');

/** A stdio server-everything as an `mcp.servers[]` entry. */
export function everythingStdio(name: string, extra: Record<string, unknown> = {}) {
  return { name, command: process.execPath, args: [EVERYTHING_ENTRY, 'stdio'], ...extra };
}

/** A port nobody listens on now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** server-everything in streamable HTTP mode on `port` (default a free one); resolves once it listens. */
export async function startEverythingHttp(
  port?: number,
): Promise<{ url: string; port: number; child: ChildProcess; stop(): Promise<void> }> {
  port ??= await freePort();
  const child = spawn(process.execPath, [EVERYTHING_ENTRY, 'streamableHttp'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server-everything (streamable HTTP) did not start within 15 s')), 15_000);
    let text = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('listening on port')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything exited with ${code}: ${text}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** A `waitFor` predicate: an `event` frame of `type` whose data has the given values. */
export function eventFrame(type: string, data: Record<string, unknown> = {}) {
  return (m: Record<string, unknown>): boolean => {
    if (m.type !== 'event') return false;
    const event = m.event as { type: string; data: Record<string, unknown> };
    return event.type === type && Object.entries(data).every(([k, v]) => event.data[k] === v);
  };
}

/** The event of an `event` frame. */
export const eventOf = (m: Record<string, unknown>) => m.event as Record<string, any>;
