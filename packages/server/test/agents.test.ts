import { mkdirSync, readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, http, startTestServer, type TestServer } from './helpers.js';
import { type LoopbackBackends, startLoopbackBackends } from './loopback-backends.js';

const SENDER_KEY = 'agent-sender-0123456789abcdef012';

let backends: LoopbackBackends;
let server: TestServer;
let agentsDir: string;

beforeAll(async () => {
  backends = await startLoopbackBackends();
  agentsDir = mkdtempSync(join(tmpdir(), 'herald-agents-'));
  mkdirSync(agentsDir, { recursive: true });
  writeFileSync(
    join(agentsDir, 'echo.md'),
    '---\nname: echo\ndescription: Repeats what it is told\ntools: Read, Grep\n---\nRepeat the message.\n',
  );
  writeFileSync(
    join(agentsDir, 'parrot.md'),
    '---\nname: parrot\ndescription: Also repeats, through the echo backend\nbackend: echo\n---\n',
  );
  writeFileSync(join(agentsDir, 'ghost.md'), '---\nname: ghost\ndescription: Has no backend\n---\n');
  server = await startTestServer({
    apiKeys: [`sender:${SENDER_KEY}:call:agents.send,call:agents.task_status,subscribe:*`],
    agents: {
      dir: agentsDir,
      backends: [
        { name: 'echo', url: `${backends.url}/agent` },
        { name: 'flaky', url: `${backends.url}/fail` },
        { name: 'slowpoke', url: `${backends.url}/slow`, timeoutMs: 300 },
        { name: 'oracle', url: `${backends.url}/unary` },
        { name: 'patient', url: `${backends.url}/slow` },
      ],
    },
    routes: { sendMessage: { agent: 'echo' } },
  });
});
afterAll(async () => {
  await server.close();
  await backends.close();
  rmSync(agentsDir, { recursive: true, force: true });
});

async function connected(token?: string): Promise<TestClient> {
  const c = await TestClient.connect(server.wsUrl, token ? { token } : {});
  await c.waitFor((m) => m.type === 'connected');
  return c;
}

async function frames(c: TestClient, message: Record<string, unknown>): Promise<Array<Record<string, unknown>>> {
  const id = `a${Math.random().toString(36).slice(2)}`;
  const from = c.messages.length;
  c.send({ ...message, id });
  await c.waitFor((m) => m.id === id && ['result', 'complete', 'error'].includes(String(m.type)), 5_000, from);
  return c.messages.slice(from).filter((m) => m.id === id);
}
const send = (c: TestClient, params: Record<string, unknown>) => frames(c, { action: 'call', tool: 'agents.send', params });

describe('agents.send', () => {
  it('streams the reply as chunks then complete, every frame with the task id', async () => {
    const c = await connected(SENDER_KEY);
    const f = await send(c, { agent: 'echo', message: 'hello world' });
    expect(f.map((m) => m.type)).toEqual(['chunk', 'chunk', 'chunk', 'complete']);
    const taskId = f[0]!.task_id;
    expect(taskId).toMatch(/^task_/);
    for (const m of f) expect(m.task_id).toBe(taskId);
    expect(f.at(-1)).toMatchObject({ result: { task_id: taskId, agent: 'echo', content: 'echo: hello world' } });
    expect(await c.request('call', { tool: 'agents.task_status', params: { task_id: taskId } })).toMatchObject({
      type: 'result',
      data: { task_id: taskId, status: 'completed', agent: 'echo', chunks: 3 },
    });
    c.close();
  });

  it('sends the backend the message, one session per connection and agent, the context and the user', async () => {
    const c = await connected(SENDER_KEY);
    const first = (await send(c, { agent: 'echo', message: 'one', context: { page: 'home' } })).at(-1)!.result as { session_id: string };
    const second = (await send(c, { agent: 'echo', message: 'two' })).at(-1)!.result as { session_id: string };
    expect(second.session_id).toBe(first.session_id);
    const body = (await backends.waitForRequest('/agent', (r) => r.body.message === 'one')).body;
    expect(body).toMatchObject({
      message: 'one',
      session_id: first.session_id,
      context: { page: 'home' },
      user: 'sender',
      prompt: 'Repeat the message.',
    });
    const other = await connected(SENDER_KEY);
    const third = (await send(other, { agent: 'echo', message: 'three' })).at(-1)!.result as { session_id: string };
    expect(third.session_id).not.toBe(first.session_id);
    other.close();
    c.close();
  });

  it('ends the sessions of a closed connection and tells the backend', async () => {
    const c = await connected(SENDER_KEY);
    const { session_id } = (await send(c, { agent: 'echo', message: 'bye soon' })).at(-1)!.result as { session_id: string };
    const parrot = (await send(c, { agent: 'parrot', message: 'me too' })).at(-1)!.result as { session_id: string };
    expect(parrot.session_id).not.toBe(session_id);
    c.close();
    const end = await backends.waitForRequest('/agent', (r) => r.body.type === 'session_end' && r.body.session_id === session_id);
    expect(end.body).toMatchObject({ type: 'session_end', session_id, user: 'sender', agent: 'echo' });
    // A definition answered by another backend: that backend hears of the session's end.
    const parrotEnd = await backends.waitForRequest(
      '/agent',
      (r) => r.body.type === 'session_end' && r.body.session_id === parrot.session_id,
    );
    expect(parrotEnd.body).toMatchObject({ agent: 'parrot' });
  });

  it('reaches a definition that names its backend, and answers a unary backend body without text as one result', async () => {
    const c = await connected();
    const parrot = await send(c, { agent: 'parrot', message: 'polly' });
    expect(parrot.at(-1)).toMatchObject({ type: 'complete', result: { agent: 'parrot', content: 'echo: polly' } });
    const oracle = await send(c, { agent: 'oracle', message: 'q' });
    expect(oracle.map((m) => m.type)).toEqual(['result']);
    expect(oracle[0]).toMatchObject({ data: { agent: 'oracle', content: '', result: { ok: true } } });
    c.close();
  });

  it('answers precise errors: unknown agent, agent without backend, empty and oversized messages', async () => {
    const c = await connected();
    const unknown = await send(c, { agent: 'nobody', message: 'hi' });
    expect(unknown[0]).toMatchObject({ type: 'error', code: 'not_found', details: { path: 'agent' } });
    expect(String(unknown[0]!.message)).toContain('the agents are echo, flaky, ghost, oracle, parrot, patient, slowpoke');
    expect((await send(c, { agent: 'ghost', message: 'hi' }))[0]).toMatchObject({ code: 'upstream_unavailable' });
    expect((await send(c, { agent: 'echo', message: '' }))[0]).toMatchObject({
      code: 'invalid_params',
      details: { path: 'params.message' },
    });
    c.close();
    const big = await http(
      server,
      'POST',
      '/api/agents/echo/messages',
      { message: 'x'.repeat(70_000) },
      { headers: { accept: 'application/json' } },
    );
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large', details: { path: 'message' } } } });
  });

  it('marks a failed backend task failed and a timed-out one failed with call_timeout, publishing agent_error', async () => {
    const c = await connected();
    await c.request('subscribe', { event_types: ['agent_error', 'agents.task_status'] });
    const failed = await send(c, { agent: 'flaky', message: 'hi' });
    expect(failed[0]).toMatchObject({ type: 'error', code: 'upstream_error' });
    const slow = await send(c, { agent: 'slowpoke', message: 'hi' });
    expect(slow.at(-1)).toMatchObject({ type: 'error', code: 'call_timeout', task_id: slow[0]!.task_id });
    const taskId = String(slow[0]!.task_id);
    await c.waitFor(
      (m) =>
        m.type === 'event' &&
        (m.event as { type: string; data: { task_id: string } }).type === 'agent_error' &&
        (m.event as { data: { task_id: string } }).data.task_id === taskId,
    );
    const statuses = c
      .events()
      .filter((e) => e.type === 'agents.task_status' && (e.data as { task_id: string }).task_id === taskId)
      .map((e) => (e.data as { status: string }).status);
    expect(statuses).toEqual(['queued', 'running', 'failed']);
    await backends.waitForAbort('/slow');
    c.close();
  });

  it('cancels the task and aborts the backend when the caller disconnects', async () => {
    const watcher = await connected();
    await watcher.request('subscribe', { event_types: ['agents.task_status'] });
    const c = await connected();
    c.send({ action: 'call', id: 'x', tool: 'agents.send', params: { agent: 'patient', message: 'wait' } });
    const chunk = await c.waitFor((m) => m.id === 'x' && m.type === 'chunk');
    c.close();
    await watcher.waitFor(
      (m) =>
        m.type === 'event' &&
        (m.event as { data: { task_id: string; status: string } }).data.task_id === chunk.task_id &&
        (m.event as { data: { status: string } }).data.status === 'cancelled',
    );
    watcher.close();
  });

  it('publishes agent_request and agent_response that a feed can follow by correlation id', async () => {
    const watcher = await connected();
    await watcher.request('subscribe', { event_types: ['agent_request', 'agent_response'] });
    const c = await TestClient.connect(server.wsUrl, { headers: { 'x-correlation-id': 'conv-77' } });
    await c.waitFor((m) => m.type === 'connected');
    await send(c, { agent: 'echo', message: 'follow me' });
    await watcher.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'agent_response');
    const [request, response] = watcher.events();
    expect(request).toMatchObject({ type: 'agent_request', correlation_id: 'conv-77', data: { agent: 'echo', payload: 'follow me' } });
    expect(response).toMatchObject({
      type: 'agent_response',
      correlation_id: 'conv-77',
      data: { agent: 'echo', payload: 'echo: follow me', chunks: 3 },
    });
    c.close();
    watcher.close();
  });
});

describe('sendMessage route to an agent', () => {
  it('answers {"action":"sendMessage","message":…} with chunks then complete', async () => {
    const c = await connected();
    const f = await frames(c, { action: 'sendMessage', message: 'What are the top products?' });
    expect(f.at(-1)).toMatchObject({ type: 'complete', content: '' });
    expect(
      f
        .filter((m) => m.type === 'chunk')
        .map((m) => m.content)
        .join(''),
    ).toBe('echo: What are the top products?');
    expect(f.every((m) => typeof m.timestamp === 'number' && m.task_id === f[0]!.task_id)).toBe(true);
    c.close();
  });
});

describe('agents over HTTP', () => {
  it('lists definitions and backends, saying which agents can answer', async () => {
    const { body } = await http(server, 'GET', '/api/agents');
    const byName = Object.fromEntries((body.agents as Array<{ name: string }>).map((a) => [a.name, a]));
    expect(byName.echo).toMatchObject({
      description: 'Repeats what it is told',
      tools: ['Read', 'Grep'],
      backend: 'echo',
      is_available: true,
      has_definition: true,
    });
    expect(byName.parrot).toMatchObject({ backend: 'echo', is_available: true });
    expect(byName.ghost).toMatchObject({ backend: null, is_available: false });
    expect(byName.flaky).toMatchObject({ has_definition: false, is_available: true });
  });

  it('writes a definition file with PUT, reads it back, and deletes it (admin only)', async () => {
    const put = await http(server, 'PUT', '/api/agents/reviewer', {
      description: 'Reviews code',
      tools: ['Read'],
      prompt: 'Be kind.',
      backend: 'echo',
    });
    expect(put).toMatchObject({ status: 201, body: { name: 'reviewer', is_available: true } });
    expect(readFileSync(join(agentsDir, 'reviewer.md'), 'utf8')).toBe(
      '---\nname: reviewer\ndescription: Reviews code\ntools: Read\nbackend: echo\n---\n\nBe kind.\n',
    );
    expect((await http(server, 'PUT', '/api/agents/reviewer', { description: 'Reviews code well' })).status).toBe(200);
    expect((await http(server, 'GET', '/api/agents/reviewer')).body).toMatchObject({ description: 'Reviews code well', backend: null });
    expect(await http(server, 'PUT', '/api/agents/reviewer', { description: 'x' }, { token: SENDER_KEY })).toMatchObject({ status: 403 });
    expect(await http(server, 'PUT', '/api/agents/Bad%20Name', { description: 'x' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_params' } },
    });
    expect(await http(server, 'DELETE', '/api/agents/reviewer')).toMatchObject({ status: 200, body: { deleted: true } });
    expect(existsSync(join(agentsDir, 'reviewer.md'))).toBe(false);
    expect((await http(server, 'GET', '/api/agents/reviewer')).status).toBe(404);
  });

  it('streams a message as server-sent events: task, chunks, complete', async () => {
    const res = await fetch(`${server.httpUrl}/api/agents/echo/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SENDER_KEY}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ message: 'over http' }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const text = await res.text();
    const events = [...text.matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => [m[1], JSON.parse(m[2]!)] as const);
    expect(events.map(([e]) => e)).toEqual(['task', 'chunk', 'chunk', 'chunk', 'complete']);
    const taskId = events[0]![1].task_id;
    expect(events.at(-1)![1]).toMatchObject({ task_id: taskId, result: { content: 'echo: over http' } });
    expect((await http(server, 'GET', `/api/tasks/${taskId}`, undefined, { token: SENDER_KEY })).body).toMatchObject({
      status: 'completed',
      agent: 'echo',
    });
    expect((await http(server, 'GET', '/api/tasks')).body.tasks[0]).toMatchObject({ task_id: taskId });
  });

  it('cancels the task and aborts the backend when the HTTP client goes away mid-stream', async () => {
    const before = backends.aborted.filter((p) => p === '/slow').length;
    const controller = new AbortController();
    const res = await fetch(`${server.httpUrl}/api/agents/patient/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SENDER_KEY}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ message: 'never mind' }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: chunk')) text += new TextDecoder().decode((await reader.read()).value);
    const taskId = JSON.parse(/event: task\ndata: (.*)\n/.exec(text)![1]!).task_id as string;
    controller.abort();
    await expect.poll(() => backends.aborted.filter((p) => p === '/slow').length, { timeout: 5_000 }).toBeGreaterThan(before);
    await expect.poll(async () => (await http(server, 'GET', `/api/tasks/${taskId}`)).body.status, { timeout: 5_000 }).toBe('cancelled');
  });

  it('answers an unknown agent with a plain 404 before any stream opens', async () => {
    const res = await http(server, 'POST', '/api/agents/nobody/messages', { message: 'hi' }, { headers: { accept: 'text/event-stream' } });
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });
});
