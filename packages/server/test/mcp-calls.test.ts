import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMORY_ENTRY, everythingStdio, startEverythingHttp } from './mcp-helpers.js';
import { TestClient, http, startTestServer, type TestServer } from './helpers.js';

const ECHO_ONLY_KEY = 'echo-only-key-0123456789abcdef';

let server: TestServer;
let remote: Awaited<ReturnType<typeof startEverythingHttp>>;
let memoryDir: string;

beforeAll(async () => {
  remote = await startEverythingHttp();
  memoryDir = mkdtempSync(join(tmpdir(), 'herald-mcp-memory-'));
  server = await startTestServer({
    apiKeys: [`echo-only:${ECHO_ONLY_KEY}:call:mcp.everything.echo,subscribe:*`],
    mcp: {
      maxArgumentsBytes: 1024,
      servers: [
        everythingStdio('everything'),
        { name: 'memory', command: process.execPath, args: [MEMORY_ENTRY], env: { MEMORY_FILE_PATH: join(memoryDir, 'memory.jsonl') } },
        { name: 'remote', url: remote.url },
      ],
    },
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await remote?.stop();
  rmSync(memoryDir, { recursive: true, force: true });
});

async function connected(token?: string): Promise<TestClient> {
  const c = await TestClient.connect(server.wsUrl, token ? { token } : {});
  await c.waitFor((m) => m.type === 'connected');
  return c;
}

const text = (result: unknown) => ((result as { content: Array<{ text?: string }> }).content ?? []).map((c) => c.text).join('');

describe('mcp.list_servers', () => {
  it('lists every configured server as active with a closed circuit and its tools', async () => {
    const c = await connected();
    const reply = await c.request('call', { tool: 'mcp.list_servers', params: {} });
    const servers = (reply.data as { servers: Array<Record<string, any>> }).servers;
    expect(servers.map((s) => [s.name, s.transport, s.status, s.circuit_state])).toEqual([
      ['everything', 'stdio', 'active', 'closed'],
      ['memory', 'stdio', 'active', 'closed'],
      ['remote', 'http', 'active', 'closed'],
    ]);
    expect(servers[0]!.tools.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining(['echo', 'get-sum', 'trigger-long-running-operation']),
    );
    c.close();
  });
});

describe('mcp.call over the socket', () => {
  it('answers echo over stdio with one result frame', async () => {
    const c = await connected();
    const reply = await c.request('call', {
      tool: 'mcp.call',
      params: { server: 'everything', name: 'echo', arguments: { message: 'hello' } },
    });
    expect(reply.type).toBe('result');
    expect(text(reply.data)).toBe('Echo: hello');
    c.close();
  });

  it('answers get-sum over streamable HTTP', async () => {
    const c = await connected();
    const reply = await c.request('call', { tool: 'mcp.call', params: { server: 'remote', name: 'get-sum', arguments: { a: 2, b: 40 } } });
    expect(reply.type).toBe('result');
    expect(text(reply.data)).toContain('42');
    c.close();
  });

  it('relays progress of the long-running operation as chunks, then complete with the result', async () => {
    const c = await connected();
    const from = c.messages.length;
    c.send({
      action: 'call',
      id: 'long',
      tool: 'mcp.call',
      params: { server: 'everything', name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
    });
    const done = await c.waitFor((m) => m.id === 'long' && (m.type === 'complete' || m.type === 'error'), 10_000, from);
    const frames = c.messages.slice(from).filter((m) => m.id === 'long');
    expect(frames.map((m) => m.type)).toEqual(['chunk', 'chunk', 'chunk', 'complete']);
    expect(frames.slice(0, 3).map((m) => [m.progress, m.total])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(text(done.result)).toContain('Long running operation completed');
    c.close();
  });

  it('streams over streamable HTTP too', async () => {
    const c = await connected();
    const from = c.messages.length;
    c.send({
      action: 'call',
      id: 'long-http',
      tool: 'mcp.call',
      params: { server: 'remote', name: 'trigger-long-running-operation', arguments: { duration: 0.2, steps: 2 } },
    });
    await c.waitFor((m) => m.id === 'long-http' && m.type === 'complete', 10_000, from);
    expect(
      c.messages
        .slice(from)
        .filter((m) => m.id === 'long-http')
        .map((m) => m.type),
    ).toEqual(['chunk', 'chunk', 'complete']);
    c.close();
  });

  it('takes the older mcp_call action with server, tool and arguments', async () => {
    const c = await connected();
    const reply = await c.request('mcp_call', { server: 'everything', tool: 'echo', arguments: { message: 'alias' } });
    expect(reply.type).toBe('result');
    expect(text(reply.data)).toBe('Echo: alias');
    const tools = await c.request('list_tools', { server: 'memory' });
    expect((tools.data as { tools: Array<{ name: string }> }).tools.map((t) => t.name)).toContain('create_entities');
    const info = await c.request('server_info', { server: 'everything' });
    expect(info.data).toMatchObject({ name: 'everything', serverInfo: { name: 'mcp-servers/everything' } });
    const health = await c.request('health_check', { server: 'remote' });
    expect(health.data).toMatchObject({ servers: [{ mcp_name: 'remote', status: 'healthy', server_status: 'active' }] });
    c.close();
  });

  it('round-trips the knowledge graph of server-memory', async () => {
    const c = await connected();
    const call = (name: string, args: Record<string, unknown>) =>
      c.request('call', { tool: 'mcp.call', params: { server: 'memory', name, arguments: args } });
    const created = await call('create_entities', {
      entities: [{ name: 'Herald', entityType: 'gateway', observations: ['relays events'] }],
    });
    expect(created.type).toBe('result');
    await call('add_observations', { observations: [{ entityName: 'Herald', contents: ['speaks MCP'] }] });
    const found = await call('search_nodes', { query: 'Herald' });
    expect(found.type).toBe('result');
    const graph =
      (found.data as { structuredContent?: { entities: Array<{ name: string; observations: string[] }> } }).structuredContent ??
      JSON.parse(text(found.data));
    expect(graph.entities).toEqual([expect.objectContaining({ name: 'Herald', observations: ['relays events', 'speaks MCP'] })]);
    c.close();
  });
});

describe('mcp.call with bad input', () => {
  it('answers each mistake with a precise error and keeps the socket open', async () => {
    const c = await connected();
    const call = (params: unknown) => c.request('call', { tool: 'mcp.call', params });
    expect(await call({ server: 'nowhere', name: 'echo', arguments: {} })).toMatchObject({
      type: 'error',
      code: 'not_found',
      details: { path: 'params.server', servers: ['everything', 'memory', 'remote'] },
    });
    const unknown = await call({ server: 'everything', name: 'no-such-tool', arguments: {} });
    expect(unknown).toMatchObject({ type: 'error', code: 'unknown_tool', details: { path: 'params.name', server: 'everything' } });
    expect(String(unknown.message)).toContain('echo');
    const badArgs = await call({ server: 'everything', name: 'echo', arguments: { message: 42 } });
    expect(badArgs).toMatchObject({ type: 'error', code: 'invalid_params', details: { path: 'params.arguments', tool: 'echo' } });
    expect(String(badArgs.message)).toMatch(/message/);
    expect(await call({ server: 'everything', name: 'echo', arguments: { message: 'x'.repeat(2000) } })).toMatchObject({
      type: 'error',
      code: 'payload_too_large',
      details: { path: 'params.arguments', max_bytes: 1024 },
    });
    expect(await call({ server: 'everything', arguments: {} })).toMatchObject({
      type: 'error',
      code: 'invalid_params',
      details: { path: 'params.name' },
    });
    expect(await call({ server: 'everything', name: 'echo', arguments: [1] })).toMatchObject({
      type: 'error',
      code: 'invalid_params',
      details: { path: 'params.arguments' },
    });
    const after = await call({ server: 'everything', name: 'echo', arguments: { message: 'still here' } });
    expect(text(after.data)).toBe('Echo: still here');
    c.close();
  });

  it('refuses a tool the caller holds no call:mcp.<server>.<tool> permission for', async () => {
    const c = await connected(ECHO_ONLY_KEY);
    const ok = await c.request('call', {
      tool: 'mcp.call',
      params: { server: 'everything', name: 'echo', arguments: { message: 'mine' } },
    });
    expect(ok.type).toBe('result');
    expect(
      await c.request('call', { tool: 'mcp.call', params: { server: 'everything', name: 'get-sum', arguments: { a: 1, b: 2 } } }),
    ).toMatchObject({
      type: 'error',
      code: 'forbidden',
      details: { permission: 'call:mcp.everything.get-sum' },
    });
    expect(await c.request('call', { tool: 'mcp.list_servers', params: {} })).toMatchObject({
      type: 'error',
      code: 'forbidden',
      details: { permission: 'call:mcp.list_servers' },
    });
    c.close();
  });
});

describe('mcp.tool.called', () => {
  it('is published for each call with the user, the duration and the outcome', async () => {
    const watcher = await connected();
    await watcher.request('subscribe', { event_types: ['mcp.tool.called'] });
    const c = await connected(ECHO_ONLY_KEY);
    await c.request('call', { tool: 'mcp.call', params: { server: 'everything', name: 'echo', arguments: { message: 'audited' } } });
    const event = (await watcher.waitFor((m) => m.type === 'event')).event as Record<string, any>;
    expect(event).toMatchObject({
      type: 'mcp.tool.called',
      source: 'mcp-monitor',
      data: { server: 'everything', tool: 'echo', user: 'echo-only', outcome: 'ok' },
    });
    expect(typeof event.data.duration_ms).toBe('number');
    c.close();
    watcher.close();
  });

  it('says cancelled when the caller disconnects during a call, and the server stays healthy', async () => {
    const watcher = await connected();
    await watcher.request('subscribe', { event_types: ['mcp.tool.called'], filters: { outcome: ['cancelled'] } });
    const c = await connected();
    c.send({
      action: 'call',
      id: 'gone',
      tool: 'mcp.call',
      params: { server: 'everything', name: 'trigger-long-running-operation', arguments: { duration: 30, steps: 30 } },
    });
    await c.waitFor((m) => m.id === 'gone' && m.type === 'chunk', 10_000);
    c.close();
    const event = (await watcher.waitFor((m) => m.type === 'event', 10_000)).event as Record<string, any>;
    expect(event.data).toMatchObject({ tool: 'trigger-long-running-operation', outcome: 'cancelled' });
    const health = await watcher.request('call', { tool: 'mcp.health_check', params: { server: 'everything' } });
    expect(health.data).toMatchObject({ servers: [{ status: 'healthy', server_status: 'active' }] });
    watcher.close();
  });
});

describe('MCP HTTP API', () => {
  it('lists the servers at /api/mcp/servers and /api/v1/events/mcp-list', async () => {
    const a = await http(server, 'GET', '/api/mcp/servers');
    expect(a.status).toBe(200);
    expect(a.body.servers.map((s: { name: string }) => s.name)).toEqual(['everything', 'memory', 'remote']);
    const b = await http(server, 'GET', '/api/v1/events/mcp-list');
    expect(b.body.servers.map((s: { status: string }) => s.status)).toEqual(['active', 'active', 'active']);
  });

  it("lists one server's tools with their input schemas", async () => {
    const r = await http(server, 'GET', '/api/mcp/servers/everything/tools');
    const echo = r.body.tools.find((t: { name: string }) => t.name === 'echo');
    expect(echo).toMatchObject({ server: 'everything', inputSchema: { type: 'object', properties: { message: { type: 'string' } } } });
    expect((await http(server, 'GET', '/api/mcp/servers/nope/tools')).body.error.code).toBe('not_found');
  });

  it('calls a tool with the body as its arguments and answers the result as JSON', async () => {
    const r = await http(server, 'POST', '/api/mcp/servers/everything/tools/echo', { message: 'over http' });
    expect(r.status).toBe(200);
    expect(text(r.body)).toBe('Echo: over http');
    const bad = await http(server, 'POST', '/api/mcp/servers/everything/tools/echo', { message: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_params');
  });

  it('streams progress as server-sent events, then complete', async () => {
    const res = await fetch(`${server.httpUrl}/api/mcp/servers/everything/tools/trigger-long-running-operation`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ duration: 0.3, steps: 3 }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const body = await res.text();
    const events = body
      .split('\n\n')
      .filter((block) => block.startsWith('event:'))
      .map((block) => JSON.parse(block.split('\n')[1]!.slice('data: '.length)) as Record<string, any>);
    expect(events.map((e) => e.type)).toEqual(['chunk', 'chunk', 'chunk', 'complete']);
    expect(events[2]).toMatchObject({ progress: 3, total: 3 });
    expect(text(events[3]!.result)).toContain('completed');
  });

  it('lets only admins disable and enable a server', async () => {
    const denied = await http(server, 'POST', '/api/mcp/servers/remote/disable', undefined, { token: ECHO_ONLY_KEY });
    expect(denied.status).toBe(403);
    const off = await http(server, 'POST', '/api/mcp/servers/remote/disable');
    expect(off.body).toMatchObject({ name: 'remote', status: 'disabled' });
    const refused = await http(server, 'POST', '/api/mcp/servers/remote/tools/echo', { message: 'x' });
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'upstream_unavailable', details: { status: 'disabled' } });
    const on = await http(server, 'POST', '/api/mcp/servers/remote/enable');
    expect(on.body).toMatchObject({ name: 'remote', status: 'active', circuit_state: 'closed' });
    expect(text((await http(server, 'POST', '/api/mcp/servers/remote/tools/echo', { message: 'back' })).body)).toBe('Echo: back');
  });

  it('declares its routes and Herald\'s /mcp endpoint in the OpenAPI document', async () => {
    const paths = Object.keys((await http(server, 'GET', '/openapi.json')).body.paths as object);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/mcp/servers',
        '/api/v1/events/mcp-list',
        '/api/mcp/servers/{name}/tools',
        '/api/mcp/servers/{name}/tools/{tool}',
        '/api/mcp/servers/{name}/enable',
        '/mcp',
      ]),
    );
  });

  it('restarts a stdio server on reconnect', async () => {
    const before = (await http(server, 'GET', '/api/mcp/servers')).body.servers[0].pid as number;
    const after = await http(server, 'POST', '/api/mcp/servers/everything/reconnect');
    expect(after.body).toMatchObject({ name: 'everything', status: 'active' });
    expect(after.body.pid).not.toBe(before);
  });
});
