import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventFrame, eventOf, everythingStdio } from './mcp-helpers.js';
import { TestClient, http, startTestServer, type TestServer } from './helpers.js';

const MCP_TYPES = ['mcp_status_change', 'circuit_breaker_state', 'mcp_health_check', 'mcp_auto_disabled'];
const FAST = { healthCheckIntervalMs: 80, healthCheckTimeoutMs: 500, failureThreshold: 2, openMs: 300, autoDisableAfterCycles: 2 };

let server: TestServer;
let stalledPid: number | undefined;

beforeAll(async () => {
  server = await startTestServer({ mcp: { servers: [everythingStdio('stall', FAST), everythingStdio('steady', FAST)] } });
}, 30_000);

afterAll(async () => {
  if (stalledPid !== undefined) {
    try {
      process.kill(stalledPid, 'SIGCONT');
    } catch {
      // already gone
    }
  }
  await server?.close();
});

/** The events of a server, without the health checks, as short readable lines. */
function lines(events: Array<Record<string, any>>): string[] {
  return events
    .filter((e) => e.type !== 'mcp_health_check')
    .map((e) => {
      if (e.type === 'mcp_status_change') return `status ${e.data.old_status}->${e.data.new_status}`;
      if (e.type === 'circuit_breaker_state') return `circuit ${e.data.previous_state}->${e.data.state}`;
      return `auto_disabled after ${e.data.failure_cycles} cycles`;
    });
}

describe('MCP server monitor', () => {
  it('reports a server that stops answering: failed checks, circuit open, half-open probe, auto-disable, then recovery once enabled', async () => {
    const watcher = await TestClient.connect(server.wsUrl);
    await watcher.waitFor((m) => m.type === 'connected');
    await watcher.request('subscribe', { event_types: MCP_TYPES, filters: { mcp_names: ['stall'] } });
    const list = await http(server, 'GET', '/api/mcp/servers');
    stalledPid = list.body.servers[0].pid as number;
    expect(list.body.servers[0], 'the server is healthy before it is stopped').toMatchObject({ name: 'stall', status: 'active' });

    const from = watcher.messages.length;
    process.kill(stalledPid, 'SIGSTOP');
    await watcher.waitFor(eventFrame('mcp_auto_disabled'), 15_000, from);
    await watcher.waitFor(eventFrame('mcp_status_change', { new_status: 'disabled' }), 5_000, from);
    process.kill(stalledPid, 'SIGCONT');
    stalledPid = undefined;

    const disabled = await http(server, 'GET', '/api/mcp/servers');
    expect(disabled.body.servers[0]).toMatchObject({ name: 'stall', status: 'disabled', circuit_state: 'open', failure_cycles: 2 });
    expect(disabled.body.servers[1]).toMatchObject({ name: 'steady', status: 'active' });
    const refused = await http(server, 'POST', '/api/mcp/servers/stall/tools/echo', { message: 'x' });
    expect(refused.body.error).toMatchObject({ code: 'upstream_unavailable' });

    const enabled = await http(server, 'POST', '/api/mcp/servers/stall/enable');
    expect(enabled.body).toMatchObject({ status: 'active', circuit_state: 'closed' });
    await watcher.waitFor(eventFrame('mcp_status_change', { new_status: 'active' }), 5_000, from);

    const events = watcher.messages
      .slice(from)
      .filter((m) => m.type === 'event')
      .map(eventOf);
    expect(events.every((e) => e.data.mcp_name === 'stall' && e.source === 'mcp-monitor')).toBe(true);
    expect(lines(events)).toEqual([
      'status active->degraded',
      'circuit closed->open',
      'status degraded->inactive',
      'circuit open->half_open',
      'circuit half_open->open',
      'auto_disabled after 2 cycles',
      'status inactive->disabled',
      'circuit open->closed',
      'status disabled->inactive',
      'status inactive->active',
    ]);
    const checks = events.filter((e) => e.type === 'mcp_health_check');
    // A check already answered when the process stopped may still read healthy; the first failure is a timeout.
    expect(checks.find((e) => e.data.status !== 'healthy')!.data).toMatchObject({
      status: 'timeout',
      error: expect.stringContaining('500 ms'),
    });
    // One probe per half-open: the timed-out checks are the threshold's two, then the probe's one.
    expect(checks.filter((e) => e.data.status !== 'healthy')).toHaveLength(3);
    const opened = events.find((e) => e.type === 'circuit_breaker_state' && e.data.state === 'open')!;
    const halfOpened = events.find((e) => e.type === 'circuit_breaker_state' && e.data.state === 'half_open')!;
    expect(Date.parse(halfOpened.time) - Date.parse(opened.time)).toBeGreaterThanOrEqual(FAST.openMs);
    expect(opened.data).toMatchObject({ previous_state: 'closed', failures: 2 });

    const echo = await http(server, 'POST', '/api/mcp/servers/stall/tools/echo', { message: 'recovered' });
    expect(echo.body.content[0].text).toBe('Echo: recovered');
    watcher.close();
  }, 30_000);
});
