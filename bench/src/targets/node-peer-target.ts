import { fileURLToPath } from 'node:url';
import { startServerProcess, waitUntil } from './server-process.js';
import type { RunningTarget, Target, TargetId, TargetStartOptions } from './target.js';
import type { DialectSpec } from '../dialects/dialect.js';

interface NodePeer {
  id: TargetId;
  script: string;
  dialect: DialectSpec['kind'];
  summary: string;
  filterMode: string;
}

function nodePeerTarget(peer: NodePeer): Target {
  const script = fileURLToPath(new URL(`./peers/${peer.script}`, import.meta.url));
  return {
    id: peer.id,
    summary: peer.summary,
    hasDurableAck: false,
    hasHistory: false,
    hasResume: false,
    filterMode: peer.filterMode,
    unavailableReason: () => undefined,
    async start(options: TargetStartOptions): Promise<RunningTarget> {
      const env = { ...process.env, BENCH_DEFLATE: options.isDeflate ? '1' : '0' };
      const server = startServerProcess(process.execPath, [script], env, options.maxConnections);
      let port = 0;
      await waitUntil(server, peer.id, 10_000, async () => {
        port = Number(/LISTENING (\d+)/.exec(server.outputTail())?.[1] ?? 0);
        return port > 0;
      });
      return {
        pid: server.pid,
        spec: { kind: peer.dialect, host: '127.0.0.1', port },
        notes: server.note === undefined ? [] : [server.note],
        connectionCapacity: server.connectionCapacity,
        stop: () => server.stop(),
      };
    },
  };
}

/** Raw `ws`, each event's frame built once and written per event-loop turn. */
export const wsOnceTarget = nodePeerTarget({
  id: 'ws-once',
  script: 'ws-once-server.js',
  dialect: 'raw-ws',
  summary: 'raw ws 8, frame built once per event, written to each socket once per event-loop turn (the practical Node limit)',
  filterMode: 'server rooms (one per group)',
});

/** Raw `ws`, `send()` per subscriber per event. */
export const wsSendTarget = nodePeerTarget({
  id: 'ws-send',
  script: 'ws-send-server.js',
  dialect: 'raw-ws',
  summary: 'raw ws 8, ws.send() per subscriber per event (what most apps do)',
  filterMode: 'server rooms (one per group)',
});

/** Socket.IO 4 with rooms. */
export const socketIoTarget = nodePeerTarget({
  id: 'socket.io',
  script: 'socket-io-server.js',
  dialect: 'socket.io',
  summary: 'Socket.IO 4 with rooms, websocket transport',
  filterMode: 'server rooms (one per group)',
});
