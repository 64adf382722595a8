import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, startTestServer, type TestServer } from './helpers.js';
import { type LoopbackBackends, startLoopbackBackends } from './loopback-backends.js';

let backends: LoopbackBackends;
let server: TestServer;

beforeAll(async () => {
  backends = await startLoopbackBackends();
  server = await startTestServer({
    limits: { heartbeatIntervalMs: 100 },
    agents: { backends: [{ name: 'echo', url: `${backends.url}/agent` }] },
    routes: { $disconnect: { url: `${backends.url}/disconnect` } },
  });
});
afterAll(async () => {
  await server.close();
  await backends.close();
});

describe('stale connections', () => {
  it('drops a connection that stopped answering pings, tells $disconnect and ends its agent sessions', async () => {
    const c = await TestClient.connect(server.wsUrl);
    const welcome = await c.waitFor((m) => m.type === 'connected');
    c.send({ action: 'call', id: 1, tool: 'agents.send', params: { agent: 'echo', message: 'then silence' } });
    const done = await c.waitFor((m) => m.id === 1 && m.type === 'complete');
    const sessionId = (done.result as { session_id: string }).session_id;
    // The client's process hangs: its socket is no longer read, so no pong answers the pings.
    (c.ws as unknown as { _socket: Socket })._socket.pause();
    const ended = await backends.waitForRequest('/agent', (r) => r.body.type === 'session_end' && r.body.session_id === sessionId);
    expect(ended.body).toMatchObject({ agent: 'echo', user: 'admin' });
    expect((await backends.waitForRequest('/disconnect', (r) => r.body.connection_id === welcome.client_id)).body).toMatchObject({
      session_id: welcome.session_id,
    });
    c.ws.terminate();
  });
});
