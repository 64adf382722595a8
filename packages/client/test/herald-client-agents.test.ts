import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/helpers.js';
import { type LoopbackBackends, startLoopbackBackends } from '../../server/test/loopback-backends.js';
import { HeraldRequestError } from '../src/errors.js';
import { HeraldClient } from '../src/node.js';
import type { CallChunk } from '../src/call-stream.js';

let backends: LoopbackBackends;
let server: TestServer;
const clients: HeraldClient[] = [];

beforeAll(async () => {
  backends = await startLoopbackBackends();
  server = await startTestServer({
    agents: {
      backends: [
        { name: 'echo', url: `${backends.url}/agent` },
        { name: 'flaky', url: `${backends.url}/fail` },
      ],
    },
    routes: { sendMessage: { agent: 'echo' } },
  });
});
afterAll(async () => {
  for (const c of clients) c.close();
  await server.close();
  await backends.close();
});

function client(): HeraldClient {
  const c = new HeraldClient({ url: server.wsUrl, token: server.adminToken });
  clients.push(c);
  return c;
}

describe('HeraldClient.agents', () => {
  it('send iterates the chunks as they come, then resolves the final result with the task id', async () => {
    const reply = client().agents.send('echo', 'streams are nice', { context: { from: 'sdk' } });
    const chunks: CallChunk[] = [];
    for await (const chunk of reply) chunks.push(chunk);
    expect(chunks.map((c) => c.content).join('')).toBe('echo: streams are nice');
    const result = await reply.result;
    expect(result).toMatchObject({ agent: 'echo', content: 'echo: streams are nice' });
    expect(reply.taskId).toBe(result.task_id);
    expect(chunks.every((c) => c.taskId === result.task_id)).toBe(true);
    expect((await backends.waitForRequest('/agent', (r) => r.body.message === 'streams are nice')).body.context).toEqual({ from: 'sdk' });
  });

  it('continues a given session id and reports the task status', async () => {
    const c = client();
    const result = await c.agents.send('echo', 'again', { sessionId: 'my-session-1' }).result;
    expect(result.session_id).toBe('my-session-1');
    expect(await c.agents.taskStatus(result.task_id)).toMatchObject({ status: 'completed', agent: 'echo' });
  });

  it('lists agents and rejects an unknown one and a failing backend with the server codes', async () => {
    const c = client();
    expect((await c.agents.list()).map((a) => a.name)).toEqual(['echo', 'flaky']);
    const unknown = await c.agents.send('nobody', 'hi').result.catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(HeraldRequestError);
    expect((unknown as HeraldRequestError).code).toBe('not_found');
    const failing = await c.agents.send('flaky', 'hi').result.catch((e: unknown) => e);
    expect((failing as HeraldRequestError).code).toBe('upstream_error');
  });

  it('reaches a routed action with action()', async () => {
    const reply = client().action<{ content: string }>('sendMessage', { message: 'routed' });
    expect((await reply.result).content).toBe('echo: routed');
  });
});

describe('HeraldClient.kv', () => {
  it('sets with a TTL, gets, lists by prefix and deletes', async () => {
    const c = client();
    const set = await c.kv.set('sdk:one', { n: 1 }, { ttlS: 120 });
    expect(set).toMatchObject({ key: 'sdk:one', value: { n: 1 }, ttl_s: 120 });
    await c.kv.set('sdk:two', [2]);
    expect((await c.kv.get('sdk:one')).value).toEqual({ n: 1 });
    const page = await c.kv.list({ prefix: 'sdk:', limit: 1 });
    expect(page.keys.map((k) => k.key)).toEqual(['sdk:one']);
    expect((await c.kv.list({ prefix: 'sdk:', cursor: page.next_cursor! })).keys.map((k) => k.key)).toEqual(['sdk:two']);
    await c.kv.delete('sdk:one');
    const missing = await c.kv.get('sdk:one').catch((e: unknown) => e);
    expect((missing as HeraldRequestError).code).toBe('not_found');
  });
});
