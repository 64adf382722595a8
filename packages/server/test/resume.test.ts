import { afterEach, describe, expect, it } from 'vitest';
import { TestClient, eventually, http, startTestServer, type TestServer } from './helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reads every stored event of a type family, oldest first, through the history API. */
async function fullLog(s: TestServer, types: string): Promise<Array<{ seq: number; data: { n: number; k: number } }>> {
  const all: Array<{ seq: number; data: { n: number; k: number } }> = [];
  let cursor: string | null = null;
  do {
    const qs: string = `types=${types}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await http(s, 'GET', `/api/events/history?${qs}`);
    all.push(...page.body.events);
    cursor = page.body.next_cursor;
  } while (cursor);
  return all.reverse();
}

describe('subscribe with since', () => {
  it('replays what each client missed across repeated disconnects while events keep flowing: no gap, no duplicate, in order', async () => {
    // A small in-memory buffer makes resumes go through the store as well as memory.
    server = await startTestServer({ replayBufferEvents: 40, limits: { messagesPerSecond: 100_000, messageBurst: 100_000 } });
    const s = server;
    const publisher = await TestClient.connect(s.wsUrl);
    await publisher.waitFor((m) => m.type === 'connected');
    let publishing = true;
    let n = 0;
    const publishLoop = (async () => {
      const deadline = Date.now() + 2_500;
      while (publishing && Date.now() < deadline && n < 20_000) {
        const events = Array.from({ length: 10 }, () => {
          const i = n++;
          return { type: 'resume.tick', data: { n: i, k: i % 3 } };
        });
        const reply = await publisher.request('publish', { events });
        expect(reply.type).toBe('published');
        await sleep(2);
      }
    })();

    const filtersFor = [undefined, { 'data.k': [0, 1] }, { 'data.k': 2 }];
    const runClient = async (index: number) => {
      const filters = filtersFor[index % filtersFor.length];
      const received: number[] = [];
      let lastSeq = 0;
      let sessions = 0;
      while (publishing) {
        const c = await TestClient.connect(s.wsUrl);
        await c.waitFor((m) => m.type === 'connected');
        sessions++;
        const from = c.messages.length;
        c.ws.on('message', (raw) => {
          const m = JSON.parse(raw.toString());
          if (m.type === 'event') {
            received.push(m.event.seq);
            lastSeq = m.event.seq;
          }
        });
        c.send({ action: 'subscribe', id: 1, event_types: ['resume.*'], filters, since: lastSeq });
        await c.waitFor((m) => m.type === 'subscribed', 5_000, from);
        await sleep(50 + Math.random() * 200);
        c.close();
        await c.closed;
      }
      // Final catch-up session after publishing stopped.
      const c = await TestClient.connect(s.wsUrl);
      await c.waitFor((m) => m.type === 'connected');
      c.ws.on('message', (raw) => {
        const m = JSON.parse(raw.toString());
        if (m.type === 'event') received.push(m.event.seq);
      });
      c.send({ action: 'subscribe', id: 1, event_types: ['resume.*'], filters, since: lastSeq });
      await c.waitFor((m) => m.type === 'replayed');
      c.close();
      return { received, filters, sessions };
    };

    const clients = Array.from({ length: 6 }, (_, i) => runClient(i));
    await publishLoop;
    publishing = false;
    const results = await Promise.all(clients);
    publisher.close();

    const log = await fullLog(s, 'resume.tick');
    expect(log.length).toBe(n);
    for (const r of results) {
      const wanted = log
        .filter((e) => r.filters === undefined || ('data.k' in r.filters && (Array.isArray(r.filters['data.k']) ? r.filters['data.k'].includes(e.data.k) : r.filters['data.k'] === e.data.k)))
        .map((e) => e.seq);
      expect(r.sessions).toBeGreaterThan(2);
      expect(r.received).toEqual(wanted);
    }
  });

  it('replays then marks the end with replayed {count, to_seq, recovered: true}, then goes live', async () => {
    server = await startTestServer();
    const pub = await http(server, 'POST', '/api/events', { events: [{ type: 'r.a' }, { type: 'r.b' }, { type: 'other' }, { type: 'r.c' }] });
    const c = await TestClient.connect(server.wsUrl);
    await c.waitFor((m) => m.type === 'connected');
    const sub = await c.request('subscribe', { event_types: ['r.*'], since: pub.body.seqs[0] });
    const marker = await c.waitFor((m) => m.type === 'replayed');
    expect(marker).toEqual({ type: 'replayed', subscription_id: sub.subscription_id, count: 2, to_seq: pub.body.seqs[3], recovered: true });
    const replayed = c.messages.filter((m) => m.type === 'event');
    expect(replayed.map((m) => (m.event as any).type)).toEqual(['r.b', 'r.c']);
    expect(replayed.every((m) => m.replay === true)).toBe(true);
    // The subscribed reply comes before any replayed event.
    expect(c.messages.findIndex((m) => m.type === 'subscribed')).toBeLessThan(c.messages.findIndex((m) => m.type === 'event'));
    await http(server, 'POST', '/api/events', { type: 'r.live' });
    const live = await c.waitFor((m) => m.type === 'event' && (m.event as any).type === 'r.live');
    expect(live.replay).toBeUndefined();
    c.close();
  });

  it('replays from an ISO time', async () => {
    server = await startTestServer();
    await http(server, 'POST', '/api/events', { type: 't.old', time: '2020-01-01T00:00:00Z' });
    const mark = new Date().toISOString();
    await sleep(5);
    await http(server, 'POST', '/api/events', { type: 't.new' });
    const c = await TestClient.connect(server.wsUrl);
    await c.waitFor((m) => m.type === 'connected');
    await c.request('subscribe', { event_types: ['t.*'], since: mark });
    await c.waitFor((m) => m.type === 'replayed');
    expect(c.events().map((e) => e.type)).toEqual(['t.new']);
    c.close();
  });

  it('says recovered: false with earliest_seq when since is older than what the store still holds', async () => {
    server = await startTestServer({ replayBufferEvents: 1, retention: { maxEvents: 10, maxAgeMs: 0, intervalMs: 50 } });
    const s = server;
    await http(s, 'POST', '/api/events', { events: Array.from({ length: 30 }, (_, i) => ({ type: 'ret.x', data: { i } })) });
    await eventually(async () => (await http(s, 'GET', '/api/metrics')).body.event_history_size <= 10);
    const c = await TestClient.connect(s.wsUrl);
    await c.waitFor((m) => m.type === 'connected');
    await c.request('subscribe', { event_types: ['ret.*'], since: 0 });
    const marker = await c.waitFor((m) => m.type === 'replayed');
    expect(marker.recovered).toBe(false);
    expect(marker.earliest_seq).toBeGreaterThan(1);
    expect(marker.count).toBe(c.events().length);
    expect(c.events()[0]!.seq).toBe(marker.earliest_seq);
    c.close();
  });

  it('with since "latest" replays nothing', async () => {
    server = await startTestServer();
    await http(server, 'POST', '/api/events', { type: 'l.a' });
    const c = await TestClient.connect(server.wsUrl);
    await c.waitFor((m) => m.type === 'connected');
    await c.request('subscribe', { event_types: ['l.*'], since: 'latest' });
    await http(server, 'POST', '/api/events', { type: 'l.b' });
    await c.waitFor((m) => m.type === 'event');
    expect(c.events().map((e) => e.type)).toEqual(['l.b']);
    expect(c.messages.some((m) => m.type === 'replayed')).toBe(false);
    c.close();
  });
});
