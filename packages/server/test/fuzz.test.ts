import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, http, startTestServer, type TestServer } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { messagesPerSecond: 1_000_000, messageBurst: 1_000_000 } });
});
afterAll(async () => {
  await server.close();
});

const ACTIONS = ['ping', 'get_metadata', 'subscribe', 'unsubscribe', 'list_subscriptions', 'publish', 'history', 'auth', 'context_switch', 'call', 'nope', '', '__proto__', 'constructor'];

const nasty = fc.oneof(
  fc.constant('__proto__'),
  fc.constant('constructor'),
  fc.constant('prototype'),
  fc.string({ maxLength: 12 }),
);
const weirdValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 0.1, -0),
    fc.string({ maxLength: 30 }),
    fc.constantFrom('*', 'claude.*', 'a..b', '', ' ', '🙂', 'x'.repeat(300)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nasty, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A frame that is nearly right: a real action with parameters of random shape. */
const nearlyValid = fc
  .record({
    action: fc.constantFrom(...ACTIONS),
    id: fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.constant(undefined), fc.constant({ x: 1 })),
    event_types: fc.oneof(weirdValue, fc.array(fc.constantFrom('*', 'fuzz.*', 'a.*.b', 'bad pattern', ''), { maxLength: 3 })),
    filters: weirdValue,
    since: weirdValue,
    event: weirdValue,
    events: fc.oneof(weirdValue, fc.array(fc.record({ type: fc.constantFrom('fuzz.x', 'bad type', ''), data: weirdValue }), { maxLength: 3 })),
    query: weirdValue,
    token: weirdValue,
    subscription_id: weirdValue,
  }, { requiredKeys: ['action'] })
  .map((o) => JSON.stringify(o));

const deeplyNested = fc.integer({ min: 30, max: 3000 }).map((d) => `{"action":"ping","x":${'['.repeat(d)}${']'.repeat(d)}}`);
const protoFrame = fc.constantFrom(
  '{"action":"subscribe","event_types":["*"],"filters":{"__proto__":{"admin":true}}}',
  '{"__proto__":{"action":"ping"}}',
  '{"action":"publish","event":{"type":"x","constructor":{"prototype":{"p":1}}}}',
);
const garbage = fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('', 'null', '[]', '42', '"str"', '{', '}}', '{"action":1}', '{"action":null}'));
const frame = fc.oneof(nearlyValid, nearlyValid, garbage, deeplyNested, protoFrame, fc.json({ maxDepth: 4 }));

describe('protocol fuzzing', () => {
  it('answers thousands of random and malformed frames with a reply or an error, never crashes, and keeps serving', async () => {
    const c = await TestClient.connect(server.wsUrl);
    await c.waitFor((m) => m.type === 'connected');
    let pingId = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 10 }), async (frames) => {
        for (const f of frames) {
          const from = c.messages.length;
          c.send(f);
          const id = `probe-${++pingId}`;
          c.send({ action: 'ping', id });
          await c.waitFor((m) => m.id === id && m.type === 'pong', 5_000, from);
          // Something answered the fuzzed frame (a publish answers once durable, possibly after the probe).
          await c.waitFor((m) => m.id !== id, 5_000, from);
          const answers = c.messages.slice(from).filter((m) => m.id !== id);
          for (const a of answers) expect(typeof a.type).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
    expect(c.closeCode).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    c.close();
  });

  it('closes on invalid UTF-8 and oversize frames without affecting other clients', async () => {
    const healthy = await TestClient.connect(server.wsUrl);
    await healthy.waitFor((m) => m.type === 'connected');
    await healthy.request('subscribe', { event_types: ['after.fuzz'] });
    const bad = [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), Buffer.from('x'.repeat(70_000))];
    for (const payload of bad) {
      const c = await TestClient.connect(server.wsUrl);
      await c.waitFor((m) => m.type === 'connected');
      c.ws.send(payload, { binary: false });
      expect([1007, 1009]).toContain(await c.closed);
    }
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (bytes) => {
        const c = await TestClient.connect(server.wsUrl);
        await c.waitFor((m) => m.type === 'connected');
        c.ws.send(Buffer.from(bytes), { binary: true });
        const reply = await c.waitFor((m) => m.type === 'error');
        expect(reply.code).toBe('invalid_frame');
        c.close();
      }),
      { numRuns: 30 },
    );
    await http(server, 'POST', '/api/events', { type: 'after.fuzz' });
    await healthy.waitFor((m) => m.type === 'event');
    expect((await http(server, 'GET', '/health', undefined, { token: null })).status).toBe(200);
    healthy.close();
  });

  it('answers random HTTP publish bodies with 202 or a 4xx error body, never 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json({ maxDepth: 4 }), garbage, nearlyValid), async (body) => {
        const r = await http(server, 'POST', '/api/events', undefined, { rawBody: body, headers: { 'content-type': 'application/json' } });
        expect(r.status === 202 || (r.status >= 400 && r.status < 500)).toBe(true);
        if (r.status !== 202) expect(typeof r.body.error.code).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});
