import { afterEach, beforeEach } from 'vitest';
import WebSocket from 'ws';
import { constantBackoff } from '../../src/backoff.js';
import type { HeraldClientOptions } from '../../src/client-options.js';
import { HeraldClient } from '../../src/herald-client.js';
import { ScriptedServer } from './scripted-server.js';

/**
 * A fresh scripted peer for every test, clients connected to it over a real
 * loopback WebSocket, and everything closed after the test, newest first.
 */
export function useScriptedPeer(backoffMs = 20): {
  readonly peer: ScriptedServer;
  readonly cleanups: Array<() => unknown>;
  connect(options?: Partial<HeraldClientOptions>): HeraldClient;
} {
  let peer: ScriptedServer | undefined;
  const cleanups: Array<() => unknown> = [];
  beforeEach(async () => {
    const started = await ScriptedServer.start();
    peer = started;
    cleanups.push(() => started.close());
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const current = (): ScriptedServer => {
    if (!peer) throw new Error('the scripted peer starts in beforeEach');
    return peer;
  };
  return {
    get peer() {
      return current();
    },
    cleanups,
    // A plain function, so it can be destructured.
    connect: (options = {}) => {
      const client = new HeraldClient({ url: current().url, WebSocket, backoff: constantBackoff(backoffMs), ...options });
      cleanups.push(() => client.close());
      return client;
    },
  };
}
