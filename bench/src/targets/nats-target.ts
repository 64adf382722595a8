import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, isListening } from './free-port.js';
import { startServerProcess, waitUntil } from './server-process.js';
import type { RunningTarget, Target, TargetStartOptions } from './target.js';

/** Where to look for nats-server: `NATS_SERVER`, then the PATH. */
function natsBinary(): string | undefined {
  const fromEnv = process.env['NATS_SERVER'];
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv;
  const found = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** The installed nats-server version, or undefined. */
export function natsVersion(): string | undefined {
  const binary = natsBinary();
  if (binary === undefined) return undefined;
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return /v?(\d+\.\d+\.\d+)/.exec(out.stdout)?.[1];
}

/** nats-server's WebSocket listener; the Go server beside the Node ones. */
export const natsTarget: Target = {
  id: 'nats',
  summary: 'nats-server (Go) WebSocket listener, NATS text protocol, core pub/sub (no persistence)',
  hasDurableAck: false,
  hasHistory: false,
  hasResume: false,
  filterMode: 'subjects (one per group)',
  unavailableReason: () => (natsBinary() === undefined ? 'nats-server not found on PATH (set NATS_SERVER to its path)' : undefined),
  async start(options: TargetStartOptions): Promise<RunningTarget> {
    const [clientPort, wsPort] = [await freePort(), await freePort()];
    const config = join(options.workDir, 'nats.conf');
    writeFileSync(
      config,
      [
        `listen: "127.0.0.1:${clientPort}"`,
        `max_connections: ${options.maxConnections + 1_000}`,
        'websocket {',
        `  listen: "127.0.0.1:${wsPort}"`,
        '  no_tls: true',
        `  compression: ${options.isDeflate}`,
        '}',
        '',
      ].join('\n'),
    );
    const server = startServerProcess(natsBinary()!, ['-c', config], process.env, options.maxConnections);
    await waitUntil(server, 'nats-server', 10_000, () => isListening(wsPort));
    return {
      pid: server.pid,
      spec: { kind: 'nats', host: '127.0.0.1', port: wsPort },
      notes: server.note === undefined ? [] : [server.note],
      connectionCapacity: server.connectionCapacity,
      stop: () => server.stop(),
    };
  },
};
