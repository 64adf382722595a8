import { execFile } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, http, startTestServer, type TestServer } from './helpers.js';

const require = createRequire(import.meta.url);
const CONFORMANCE = join(dirname(require.resolve('@modelcontextprotocol/conformance/package.json')), 'dist', 'index.js');
const READER_KEY = 'reader-key-0123456789abcdef01';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ apiKeys: [`reader:${READER_KEY}:history:agent.*`] });
});
afterAll(async () => {
  await server?.close();
});

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'herald-test', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.httpUrl}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  return client;
}

const json = (result: unknown) => JSON.parse((result as { content: Array<{ text: string }> }).content[0]!.text) as Record<string, any>;

describe('POST /mcp', () => {
  it('refuses a request without a token with 401', async () => {
    const r = await http(
      server,
      'POST',
      '/mcp',
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { token: null, headers: { accept: 'application/json, text/event-stream' } },
    );
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('unauthorized');
  });

  it('offers the event tools and the event types as resources to the official SDK client', async () => {
    const client = await connect(TEST_ADMIN_TOKEN);
    expect(client.getServerVersion()).toMatchObject({ name: 'herald' });
    const tools = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(tools).toEqual(['event_stats', 'get_event', 'list_event_types', 'publish_event', 'query_history']);
    const resources = (await client.listResources()).resources;
    const status = resources.find((r) => r.uri === 'herald://event-types/mcp_status_change');
    expect(status).toMatchObject({ mimeType: 'application/json' });
    const read = await client.readResource({ uri: status!.uri });
    expect(JSON.parse((read.contents[0] as { text: string }).text)).toMatchObject({ id: 'mcp_status_change', category: 'mcp' });
    await client.close();
  });

  it('round-trips an event: publish_event, get_event, query_history, event_stats', async () => {
    const client = await connect(TEST_ADMIN_TOKEN);
    const published = json(
      await client.callTool({
        name: 'publish_event',
        arguments: { type: 'agent.note', data: { text: 'from an agent' }, severity: 'info' },
      }),
    );
    expect(typeof published.seq).toBe('number');
    const event = json(await client.callTool({ name: 'get_event', arguments: { id: published.id } }));
    expect(event).toMatchObject({ id: published.id, type: 'agent.note', source: 'mcp', data: { text: 'from an agent' } });
    const page = json(await client.callTool({ name: 'query_history', arguments: { types: ['agent.*'], limit: 5 } }));
    expect(page.events.map((e: { id: string }) => e.id)).toContain(published.id);
    const stats = json(await client.callTool({ name: 'event_stats', arguments: { window: '1h' } }));
    expect(JSON.stringify(stats)).toContain('agent.note');
    const types = json(await client.callTool({ name: 'list_event_types', arguments: {} }));
    expect(types.categories.map((c: { id: string }) => c.id)).toContain('mcp');
    await client.close();
  });

  it("holds an agent to its token's permissions and says which one is missing", async () => {
    const client = await connect(READER_KEY);
    const denied = await client.callTool({ name: 'publish_event', arguments: { type: 'agent.note', data: {} } });
    expect(denied.isError).toBe(true);
    expect((denied.content as Array<{ text: string }>)[0]!.text).toMatch(/^forbidden: .*publish:agent\.note/);
    const allowed = json(await client.callTool({ name: 'query_history', arguments: { types: ['agent.*'] } }));
    expect(Array.isArray(allowed.events)).toBe(true);
    const other = await client.callTool({ name: 'query_history', arguments: { types: ['mcp_status_change'] } });
    expect(other.isError).toBe(true);
    const missing = await client.callTool({ name: 'get_event', arguments: { id: 'nope' } });
    expect((missing.content as Array<{ text: string }>)[0]!.text).toMatch(/^not_found/);
    await client.close();
  });
});

/**
 * The conformance suite's client sends no Authorization header: a proxy on
 * loopback adds the token on the way in, as a gateway in front of Herald
 * would, so Herald's auth has no exception for it.
 */
function startTokenProxy(target: string, token: string): Promise<Server> {
  const upstream = new URL(target);
  const proxy = createServer((req, res) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host, authorization: `Bearer ${token}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy)));
}

describe('MCP conformance suite (server mode)', () => {
  const SCENARIOS = ['server-initialize', 'ping', 'tools-list', 'resources-list'];

  it.each(SCENARIOS)(
    'passes %s',
    async (scenario) => {
      const proxy = await startTokenProxy(server.httpUrl, TEST_ADMIN_TOKEN);
      const address = proxy.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      try {
        const run = await promisify(execFile)(
          process.execPath,
          [CONFORMANCE, 'server', '--url', `http://127.0.0.1:${port}/mcp`, '--scenario', scenario],
          {
            timeout: 60_000,
          },
        ).catch((err: { stdout?: string; stderr?: string; code?: number }) => ({
          stdout: err.stdout ?? '',
          stderr: `${err.stderr ?? ''} (exit ${err.code})`,
        }));
        const output = `${run.stdout}\n${run.stderr}`;
        expect(output, output).toMatch(/Passed:\s*\d+\/\d+, 0 failed/);
      } finally {
        await new Promise((resolve) => proxy.close(resolve));
      }
    },
    70_000,
  );
});
