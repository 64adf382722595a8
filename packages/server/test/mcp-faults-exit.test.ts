import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventFrame, eventOf, everythingStdio } from './mcp-helpers.js';
import { TestClient, http, startTestServer, type TestServer } from './helpers.js';

const MCP_TYPES = ['mcp_status_change', 'circuit_breaker_state', 'mcp_auto_disabled'];
const FAST = {
  healthCheckIntervalMs: 100,
  healthCheckTimeoutMs: 500,
  connectTimeoutMs: 5_000,
  failureThreshold: 2,
  openMs: 200,
  autoDisableAfterCycles: 2,
};

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    limits: { callTimeoutMs: 800 },
    mcp: {
      servers: [
        everythingStdio('crashy', FAST),
        // A server that exits at once, every time it is started.
        { name: 'broken', command: process.execPath, args: ['-e', 'process.stderr.write("no config here\\n"); process.exit(3)'], ...FAST },
      ],
    },
  });
}, 30_000);

afterAll(async () => {
  await server?.close();
});

/** Watches one server's events; with `since: 0` from the first event on (replayed, then live). */
async function watch(name: string, since?: number): Promise<TestClient> {
  const watcher = await TestClient.connect(server.wsUrl);
  await watcher.waitFor((m) => m.type === 'connected');
  await watcher.request('subscribe', { event_types: MCP_TYPES, filters: { mcp_names: [name] }, ...(since === undefined ? {} : { since }) });
  return watcher;
}

describe('MCP server monitor', () => {
  it('restarts a stdio server whose process was killed, and reports both changes', async () => {
    const watcher = await watch('crashy');
    const before = (await http(server, 'GET', '/api/mcp/servers')).body.servers[0];
    expect(before).toMatchObject({ name: 'crashy', status: 'active' });
    const from = watcher.messages.length;
    process.kill(before.pid as number, 'SIGKILL');
    const down = await watcher.waitFor(eventFrame('mcp_status_change', { new_status: 'inactive' }), 10_000, from);
    expect(eventOf(down)).toMatchObject({
      type: 'mcp_status_change',
      severity: 'error',
      data: { old_status: 'active', reason: expect.stringContaining('process exited') },
    });
    const up = await watcher.waitFor(eventFrame('mcp_status_change', { new_status: 'active' }), 10_000, from);
    expect(eventOf(up).data).toMatchObject({ old_status: 'inactive', new_status: 'active' });
    const after = (await http(server, 'GET', '/api/mcp/servers')).body.servers[0];
    expect(after.pid).not.toBe(before.pid);
    const echo = await http(server, 'POST', '/api/mcp/servers/crashy/tools/echo', { message: 'again' });
    expect(echo.body.content[0].text).toBe('Echo: again');
    watcher.close();
  }, 20_000);

  it('disables a server that cannot start after its failed cycles, naming the cause', async () => {
    const watcher = await watch('broken', 0);
    await watcher.waitFor(eventFrame('mcp_status_change', { new_status: 'disabled' }), 15_000);
    expect(
      watcher.events().map((e: Record<string, any>) => `${e.type} ${e.data.new_status ?? e.data.state ?? e.data.failure_cycles}`),
    ).toEqual([
      'circuit_breaker_state open',
      'circuit_breaker_state half_open',
      'circuit_breaker_state open',
      'mcp_auto_disabled 2',
      'mcp_status_change disabled',
    ]);
    const view = (await http(server, 'GET', '/api/mcp/servers')).body.servers[1];
    expect(view).toMatchObject({ name: 'broken', status: 'disabled', circuit_state: 'open', failure_cycles: 2 });
    expect(view.last_check).toMatchObject({ status: 'unhealthy', error: expect.stringContaining('not connected') });
    const refused = await http(server, 'POST', '/api/mcp/servers/broken/tools/echo', { message: 'x' });
    expect(refused.body.error).toMatchObject({ code: 'upstream_unavailable', details: { server: 'broken', status: 'disabled' } });
    const reconnect = await http(server, 'POST', '/api/mcp/servers/broken/reconnect');
    expect(reconnect.body.error.code).toBe('upstream_unavailable');
    watcher.close();
  }, 20_000);

  it('cancels a call that runs past limits.callTimeoutMs with call_timeout, and the server keeps answering', async () => {
    const watcher = await watch('crashy');
    await watcher.request('subscribe', { event_types: ['mcp.tool.called'], filters: { outcome: ['timeout'] } });
    const caller = await TestClient.connect(server.wsUrl);
    await caller.waitFor((m) => m.type === 'connected');
    const reply = await caller.request(
      'call',
      { tool: 'mcp.call', params: { server: 'crashy', name: 'trigger-long-running-operation', arguments: { duration: 20, steps: 20 } } },
      10_000,
    );
    expect(reply).toMatchObject({ type: 'error', code: 'call_timeout', details: { timeout_ms: 800 } });
    const called = await watcher.waitFor(eventFrame('mcp.tool.called'), 5_000);
    expect(eventOf(called).data).toMatchObject({ server: 'crashy', tool: 'trigger-long-running-operation', outcome: 'timeout' });
    const echo = await caller.request('call', {
      tool: 'mcp.call',
      params: { server: 'crashy', name: 'echo', arguments: { message: 'alive' } },
    });
    expect(echo).toMatchObject({ type: 'result', data: { content: [{ text: 'Echo: alive' }] } });
    caller.close();
    watcher.close();
  }, 20_000);
});
