import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everythingStdio } from '../../server/test/mcp-helpers.js';
import { startTestServer, type TestServer } from '../../server/test/helpers.js';
import { HeraldRequestError } from '../src/errors.js';
import { HeraldClient } from '../src/node.js';
import type { CallChunk } from '../src/call-stream.js';

let server: TestServer;
let client: HeraldClient;

beforeAll(async () => {
  server = await startTestServer({ mcp: { servers: [everythingStdio('everything')] } });
  client = new HeraldClient({ url: server.wsUrl, token: server.adminToken });
}, 30_000);
afterAll(async () => {
  client?.close();
  await server?.close();
});

describe('HeraldClient.mcp', () => {
  it('lists the servers and their tools with input schemas', async () => {
    const servers = await client.mcp.listServers();
    expect(servers).toEqual([expect.objectContaining({ name: 'everything', status: 'active', circuit_state: 'closed' })]);
    const tools = await client.mcp.listTools('everything');
    expect(tools.find((t) => t.name === 'get-sum')).toMatchObject({
      server: 'everything',
      inputSchema: { type: 'object', required: ['a', 'b'] },
    });
  });

  it('calls a tool through herald.call and resolves to its result', async () => {
    const result = await client.call<{ content: Array<{ text: string }> }>('mcp.call', {
      server: 'everything',
      name: 'echo',
      arguments: { message: 'sdk' },
    });
    expect(result.content[0]!.text).toBe('Echo: sdk');
  });

  it('iterates the progress of a long-running tool, then resolves to its result', async () => {
    const run = client.mcp.callTool('everything', 'trigger-long-running-operation', { duration: 0.3, steps: 3 });
    const chunks: CallChunk[] = [];
    for await (const chunk of run) chunks.push(chunk);
    expect(chunks.map((c) => [c.progress, c.total])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect((await run.result).content[0]!.text).toContain('completed');
  });

  it('rejects with typed errors the caller can branch on', async () => {
    const unknown = await client.mcp.callTool('everything', 'nope').result.catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(HeraldRequestError);
    expect((unknown as HeraldRequestError).code).toBe('unknown_tool');
    const invalid = await client.mcp.callTool('everything', 'get-sum', { a: 'one' }).result.catch((e: unknown) => e);
    expect((invalid as HeraldRequestError).code).toBe('invalid_params');
    const missing = await client.mcp.listTools('elsewhere').catch((e: unknown) => e);
    expect((missing as HeraldRequestError).code).toBe('not_found');
  });
});
