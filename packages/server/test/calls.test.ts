import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeraldError } from '../src/errors/herald-error.js';
import { TestClient, startTestServer, type TestServer } from './helpers.js';

const LIMITED_KEY = 'limited-key-0123456789abcdef';
const SERVICE_KEY = 'service-key-0123456789abcdef';

let server: TestServer;
/** Signals aborted in `test.wait`, by the caller's request id, to see cancellation reach the tool. */
const aborted = new Map<string, string>();

beforeAll(async () => {
  server = await startTestServer({
    apiKeys: [`limited:${LIMITED_KEY}:subscribe:*`, `service:${SERVICE_KEY}:call:test.*`],
    limits: { callTimeoutMs: 400, maxConcurrentCallsPerConnection: 2 },
  });
  server.registerTool({
    name: 'test.echo',
    description: 'Answers its params',
    run: async (params) => ({ echoed: params }),
  });
  server.registerTool({
    name: 'test.count',
    description: 'Streams n chunks, then their sum',
    run: async (params, ctx) => {
      const n = (params as { n: number }).n;
      ctx.setFrameField('task_id', 'task-7');
      for (let i = 1; i <= n; i++) ctx.emit({ content: `part ${i}`, progress: i, total: n });
      return { sum: (n * (n + 1)) / 2 };
    },
  });
  server.registerTool({
    name: 'test.wait',
    description: 'Waits until aborted',
    run: (params, ctx) =>
      new Promise((_, reject) => {
        ctx.signal.addEventListener('abort', () => {
          aborted.set(String((params as { tag: string }).tag), String(ctx.signal.reason?.code ?? ctx.signal.reason));
          reject(new Error('aborted'));
        });
      }),
  });
  server.registerTool({
    name: 'test.fail',
    description: 'Fails as asked',
    run: async (params) => {
      if ((params as { kind: string }).kind === 'herald') throw new HeraldError('upstream_error', 'the backend answered 500');
      throw new Error('boom');
    },
  });
});
afterAll(async () => {
  await server.close();
});

async function connected(token?: string): Promise<TestClient> {
  const c = await TestClient.connect(server.wsUrl, token ? { token } : {});
  await c.waitFor((m) => m.type === 'connected');
  return c;
}

describe('call', () => {
  it('answers a unary tool with one result frame carrying the id and a Unix-ms timestamp', async () => {
    const c = await connected();
    const before = Date.now();
    const reply = await c.request('call', { tool: 'test.echo', params: { a: 1 } });
    expect(reply).toMatchObject({ type: 'result', data: { echoed: { a: 1 } } });
    expect(reply.timestamp).toBeGreaterThanOrEqual(before);
    expect(reply.timestamp).toBeLessThanOrEqual(Date.now());
    c.close();
  });

  it('streams chunks in order, then complete with the result, every frame with the task id', async () => {
    const c = await connected();
    const from = c.messages.length;
    c.send({ action: 'call', id: 'c1', tool: 'test.count', params: { n: 3 } });
    const done = await c.waitFor((m) => m.id === 'c1' && m.type === 'complete');
    const frames = c.messages.slice(from).filter((m) => m.id === 'c1');
    expect(frames.map((m) => m.type)).toEqual(['chunk', 'chunk', 'chunk', 'complete']);
    expect(frames.slice(0, 3).map((m) => [m.content, m.progress, m.total])).toEqual([
      ['part 1', 1, 3],
      ['part 2', 2, 3],
      ['part 3', 3, 3],
    ]);
    expect(done).toMatchObject({ content: '', result: { sum: 6 }, task_id: 'task-7' });
    expect(frames.every((m) => m.task_id === 'task-7' && typeof m.timestamp === 'number')).toBe(true);
    c.close();
  });

  it('names the tools there are when the tool is unknown, and the socket stays open', async () => {
    const c = await connected();
    const reply = await c.request('call', { tool: 'nope.nothing', params: {} });
    expect(reply).toMatchObject({ type: 'error', code: 'unknown_tool', details: { path: 'tool' } });
    expect(String(reply.message)).toContain('metrics.get');
    expect(reply.content).toBe(reply.message);
    expect(await c.request('ping')).toMatchObject({ type: 'pong' });
    c.close();
  });

  it('refuses a caller without the call permission and names the permission', async () => {
    const c = await connected(LIMITED_KEY);
    const reply = await c.request('call', { tool: 'test.echo', params: {} });
    expect(reply).toMatchObject({ type: 'error', code: 'forbidden', details: { permission: 'call:test.echo' } });
    c.close();
  });

  it('lets a caller holding call:test.* call every test tool but nothing else', async () => {
    const c = await connected(SERVICE_KEY);
    expect(await c.request('call', { tool: 'test.echo', params: { x: true } })).toMatchObject({
      type: 'result',
      data: { echoed: { x: true } },
    });
    expect(await c.request('call', { tool: 'metrics.get', params: {} })).toMatchObject({ type: 'error', code: 'forbidden' });
    c.close();
  });

  it('cancels a call that runs past its timeout and says so with call_timeout', async () => {
    const c = await connected();
    const reply = await c.request('call', { tool: 'test.wait', params: { tag: 'slow' } }, 5_000);
    expect(reply).toMatchObject({ type: 'error', code: 'call_timeout', details: { timeout_ms: 400 } });
    expect(aborted.get('slow')).toBe('call_timeout');
    c.close();
  });

  it('reports a tool failure with its own code, and an unexpected one as internal_error', async () => {
    const c = await connected();
    expect(await c.request('call', { tool: 'test.fail', params: { kind: 'herald' } })).toMatchObject({
      type: 'error',
      code: 'upstream_error',
      message: 'the backend answered 500',
    });
    expect(await c.request('call', { tool: 'test.fail', params: { kind: 'other' } })).toMatchObject({
      type: 'error',
      code: 'internal_error',
    });
    c.close();
  });

  it('bounds the calls one connection runs at once, leaving other connections free', async () => {
    const c = await connected();
    c.send({ action: 'call', id: 'w1', tool: 'test.wait', params: { tag: 'b1' } });
    c.send({ action: 'call', id: 'w2', tool: 'test.wait', params: { tag: 'b2' } });
    await sleep(50);
    const third = await c.request('call', { tool: 'test.echo', params: {} });
    expect(third).toMatchObject({ type: 'error', code: 'limit_exceeded', details: { limit: 'maxConcurrentCallsPerConnection' } });
    const other = await connected();
    expect(await other.request('call', { tool: 'test.echo', params: { ok: 1 } })).toMatchObject({ type: 'result' });
    c.close();
    other.close();
  });

  it('cancels the calls of a connection that closes', async () => {
    const c = await connected();
    c.send({ action: 'call', id: 'gone', tool: 'test.wait', params: { tag: 'gone' } });
    await sleep(50);
    c.close();
    await c.closed;
    for (let i = 0; i < 50 && !aborted.has('gone'); i++) await sleep(10);
    expect(aborted.get('gone')).toBe('caller_gone');
  });
});

describe('action aliases', () => {
  it('answers request_metrics with the metrics', async () => {
    const c = await connected();
    const reply = await c.request('request_metrics');
    expect(reply).toMatchObject({ type: 'result' });
    expect(reply.data).toHaveProperty('active_connections');
    expect(reply.data).toHaveProperty('lastUpdated');
    c.close();
  });

  it('answers an unknown action with unknown_action when no route handles it', async () => {
    const c = await connected();
    const reply = await c.request('sendMessage', { message: 'hi' });
    expect(reply).toMatchObject({ type: 'error', code: 'unknown_action', details: { path: 'action' } });
    expect(typeof reply.timestamp).toBe('number');
    c.close();
  });
});
