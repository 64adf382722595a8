import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingStdio } from './mcp-helpers.js';
import { TestClient, startTestServer, type TestServer } from './helpers.js';

const ROUTE_ONLY_KEY = 'route-only-key-0123456789abcdef';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    apiKeys: [`routed:${ROUTE_ONLY_KEY}:call:route.lookup,subscribe:*`],
    mcp: { servers: [everythingStdio('everything')] },
    routes: { lookup: { tool: 'everything/echo' }, sum: { tool: 'everything/get-sum' } },
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

async function connected(token?: string): Promise<TestClient> {
  const c = await TestClient.connect(server.wsUrl, token ? { token } : {});
  await c.waitFor((m) => m.type === 'connected');
  return c;
}

describe('a route to an MCP tool', () => {
  it('calls the tool with the message (without its action) as arguments and answers its result', async () => {
    const c = await connected();
    const reply = await c.request('lookup', { message: 'hello through a route' }, 15_000);
    expect(reply.type).toBe('result');
    const text = ((reply.data as { content: Array<{ text?: string }> }).content ?? []).map((p) => p.text).join('');
    expect(text).toContain('hello through a route');
    c.close();
  });

  it('needs only call:route.<action>, not the MCP tool permission', async () => {
    const c = await connected(ROUTE_ONLY_KEY);
    const reply = await c.request('lookup', { message: 'routed' }, 15_000);
    expect(reply.type).toBe('result');
    expect(await c.request('sum', { a: 1, b: 2 })).toMatchObject({
      type: 'error',
      code: 'forbidden',
      details: { permission: 'call:route.sum' },
    });
    c.close();
  });

  it('passes the tool schema errors back as a precise error and keeps the socket open', async () => {
    const c = await connected();
    const reply = await c.request('sum', { a: 'one', b: 2 }, 15_000);
    expect(reply).toMatchObject({ type: 'error', code: 'invalid_params' });
    expect(await c.request('ping')).toMatchObject({ type: 'pong' });
    c.close();
  });
});
