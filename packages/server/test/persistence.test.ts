import { describe, expect, it } from 'vitest';
import { TestClient, http, startTestServer } from './helpers.js';

describe('restarts', () => {
  it('keeps events acknowledged before a restart in history, and seq keeps increasing', async () => {
    const first = await startTestServer();
    const a = await http(first, 'POST', '/api/events', { events: Array.from({ length: 50 }, (_, i) => ({ type: 'restart.before', data: { i } })) });
    expect(a.status).toBe(202);
    await first.close({ keepData: true });

    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      const h = await http(second, 'GET', '/api/events/history?types=restart.before&limit=100');
      expect(h.body.events.map((e: { seq: number }) => e.seq).reverse()).toEqual(a.body.seqs);
      const b = await http(second, 'POST', '/api/events', { type: 'restart.after' });
      expect(b.body.seqs[0]).toBeGreaterThan(a.body.seqs[49]);
      const c = await TestClient.connect(second.wsUrl);
      const welcome = await c.waitFor((m) => m.type === 'connected');
      expect(welcome.seq).toBe(b.body.seqs[0]);
      c.close();
    } finally {
      await second.close();
    }
  });

  it('resumes across a restart: a client that saw seq N gets everything after it', async () => {
    const first = await startTestServer();
    const a = await http(first, 'POST', '/api/events', { events: Array.from({ length: 20 }, (_, i) => ({ type: 'rr.x', data: { i } })) });
    await first.close({ keepData: true });
    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      const c = await TestClient.connect(second.wsUrl);
      await c.waitFor((m) => m.type === 'connected');
      await c.request('subscribe', { event_types: ['rr.*'], since: a.body.seqs[9] });
      const marker = await c.waitFor((m) => m.type === 'replayed');
      expect(marker).toMatchObject({ count: 10, recovered: true });
      expect(c.events().map((e) => e.seq)).toEqual(a.body.seqs.slice(10));
      c.close();
    } finally {
      await second.close();
    }
  });

  it('recognises an id published before the restart as a duplicate after it', async () => {
    const first = await startTestServer();
    const a = await http(first, 'POST', '/api/events', { id: 'stable-id-1', type: 'dup.x' });
    await first.close({ keepData: true });
    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      const b = await http(second, 'POST', '/api/events', { id: 'stable-id-1', type: 'dup.x' });
      expect(b.body).toEqual({ ids: ['stable-id-1'], seqs: a.body.seqs, duplicates: ['stable-id-1'] });
      const h = await http(second, 'GET', '/api/events/history?types=dup.x');
      expect(h.body.events).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it('reuses the generated admin token kept in the data folder', async () => {
    const first = await startTestServer({ adminToken: undefined });
    expect(first.isAdminTokenGenerated).toBe(true);
    const token = first.adminToken;
    await first.close({ keepData: true });
    const second = await startTestServer({ dataDir: first.dataDir, adminToken: undefined });
    try {
      expect(second.isAdminTokenGenerated).toBe(false);
      expect(second.adminToken).toBe(token);
      expect((await http(second, 'GET', '/api/metrics', undefined, { token })).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it('closes open connections with 4002 when stopping, so clients reconnect and resume', async () => {
    const s = await startTestServer();
    const c = await TestClient.connect(s.wsUrl);
    await c.waitFor((m) => m.type === 'connected');
    const closing = s.close();
    expect(await c.closed).toBe(4002);
    await closing;
  });
});

describe('retention', () => {
  it('deletes events past the count limit, oldest first', async () => {
    const s = await startTestServer({ retention: { maxEvents: 5, maxAgeMs: 0, intervalMs: 50 } });
    try {
      await http(s, 'POST', '/api/events', { events: Array.from({ length: 12 }, (_, i) => ({ type: 'keep.x', data: { i } })) });
      let events: Array<{ data: { i: number } }> = [];
      for (let i = 0; i < 100; i++) {
        events = (await http(s, 'GET', '/api/events/history?types=keep.x')).body.events;
        if (events.length <= 5) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(events.map((e) => e.data.i)).toEqual([11, 10, 9, 8, 7]);
    } finally {
      await s.close();
    }
  });

  it('deletes events older than the age limit', async () => {
    const s = await startTestServer({ retention: { maxEvents: 0, maxAgeMs: 60_000, intervalMs: 50 } });
    try {
      await http(s, 'POST', '/api/events', { events: [{ type: 'age.x', time: '2020-01-01T00:00:00Z' }, { type: 'age.y' }] });
      let types: string[] = [];
      for (let i = 0; i < 100; i++) {
        types = (await http(s, 'GET', '/api/events/history?types=age.*')).body.events.map((e: { type: string }) => e.type);
        if (types.length === 1) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(types).toEqual(['age.y']);
    } finally {
      await s.close();
    }
  });
});
