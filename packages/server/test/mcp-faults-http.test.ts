import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventFrame, startEverythingHttp } from './mcp-helpers.js';
import { TestClient, http, startTestServer, type TestServer } from './helpers.js';

const FAST = {
  healthCheckIntervalMs: 100,
  healthCheckTimeoutMs: 500,
  connectTimeoutMs: 2_000,
  failureThreshold: 2,
  openMs: 300,
  autoDisableAfterCycles: 50,
};

let server: TestServer;
let remote: Awaited<ReturnType<typeof startEverythingHttp>>;

beforeAll(async () => {
  remote = await startEverythingHttp();
  server = await startTestServer({ mcp: { servers: [{ name: 'remote', url: remote.url, ...FAST }] } });
}, 30_000);

afterAll(async () => {
  await server?.close();
  await remote?.stop();
});

describe('MCP server monitor over streamable HTTP', () => {
  it('opens the circuit when the remote server goes away, and closes it with a new session once it is back', async () => {
    const watcher = await TestClient.connect(server.wsUrl);
    await watcher.waitFor((m) => m.type === 'connected');
    await watcher.request('subscribe', { event_types: ['mcp_status_change', 'circuit_breaker_state'], filters: { mcp_names: ['remote'] } });
    const from = watcher.messages.length;
    await remote.stop();
    await watcher.waitFor(eventFrame('circuit_breaker_state', { state: 'open' }), 10_000, from);
    const refused = await http(server, 'POST', '/api/mcp/servers/remote/tools/echo', { message: 'x' });
    expect(refused.body.error).toMatchObject({ code: 'upstream_unavailable', details: { circuit_state: 'open' } });

    remote = await startEverythingHttp(remote.port);
    await watcher.waitFor(eventFrame('mcp_status_change', { new_status: 'active' }), 10_000, from);
    const lines = watcher
      .events()
      .map((e: Record<string, any>) =>
        e.type === 'mcp_status_change'
          ? `status ${e.data.old_status}->${e.data.new_status}`
          : `circuit ${e.data.previous_state}->${e.data.state}`,
      );
    expect(lines[0]).toBe('status active->degraded');
    expect(lines).toContain('circuit closed->open');
    expect(lines.slice(-2)).toEqual(['circuit half_open->closed', 'status inactive->active']);
    const echo = await http(server, 'POST', '/api/mcp/servers/remote/tools/echo', { message: 'back' });
    expect(echo.body.content[0].text).toBe('Echo: back');
    watcher.close();
  }, 30_000);
});
