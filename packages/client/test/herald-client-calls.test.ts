import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers.js';
import { HeraldRequestError, HeraldTimeoutError } from '../src/errors.js';
import { HeraldClient } from '../src/node.js';
import type { CallChunk } from '../src/call-stream.js';

let server: TestServer;
const clients: HeraldClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  server.registerTool({
    name: 'demo.steps',
    description: 'Streams n steps with progress, then a summary',
    run: async (params, ctx) => {
      const n = (params as { n: number }).n;
      ctx.setFrameField('task_id', 'task-1');
      for (let i = 1; i <= n; i++) {
        ctx.emit({ content: `step ${i}`, progress: i, total: n });
        await new Promise((r) => setTimeout(r, 5));
      }
      return { steps: n };
    },
  });
  server.registerTool({
    name: 'demo.add',
    description: 'a + b',
    run: async (p) => (p as { a: number; b: number }).a + (p as { a: number; b: number }).b,
  });
  server.registerTool({ name: 'demo.hang', description: 'Never answers', run: () => new Promise(() => undefined) });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
});

function client(): HeraldClient {
  const c = new HeraldClient({ url: server.wsUrl, token: server.adminToken });
  clients.push(c);
  return c;
}

describe('HeraldClient', () => {
  describe('call', () => {
    it("resolves to a unary tool's answer", async () => {
      expect(await client().call('demo.add', { a: 2, b: 3 })).toBe(5);
    });

    it("resolves to a streaming tool's final result", async () => {
      expect(await client().call('demo.steps', { n: 3 })).toEqual({ steps: 3 });
    });

    it("rejects with the server's code for an unknown tool", async () => {
      const err = await client()
        .call('demo.missing')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HeraldRequestError);
      expect(err).toMatchObject({ code: 'unknown_tool', action: 'call' });
    });

    it('rejects with a timeout when no answer comes in time', async () => {
      const err = await client()
        .call('demo.hang', {}, { timeoutMs: 150 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HeraldTimeoutError);
    });
  });

  describe('stream', () => {
    it('yields every chunk in order with its progress and task id, then the result', async () => {
      const reply = client().stream<{ steps: number }>('demo.steps', { n: 4 });
      const chunks: CallChunk[] = [];
      for await (const chunk of reply) chunks.push(chunk);
      expect(chunks.map((c) => [c.content, c.progress, c.total, c.taskId])).toEqual([
        ['step 1', 1, 4, 'task-1'],
        ['step 2', 2, 4, 'task-1'],
        ['step 3', 3, 4, 'task-1'],
        ['step 4', 4, 4, 'task-1'],
      ]);
      expect(await reply.result).toEqual({ steps: 4 });
      expect(reply.taskId).toBe('task-1');
    });
  });

  describe('action', () => {
    it('sends an action the server does not route and rejects with unknown_action', async () => {
      const reply = client().action('sendMessage', { message: 'hi' });
      await expect(reply.result).rejects.toMatchObject({ code: 'unknown_action' });
    });

    it("resolves an alias action to its tool's answer", async () => {
      const metrics = await client().action<Record<string, unknown>>('request_metrics').result;
      expect(metrics).toHaveProperty('active_connections');
    });
  });
});
