import { describe, expect, it } from 'vitest';
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { TEST_ADMIN_TOKEN, http, startTestServer } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sub {
  ws: WebSocket;
  seqs: number[];
  latenciesMs: number[];
  closeCode?: number;
}

async function subscriber(url: string): Promise<Sub> {
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, perMessageDeflate: false });
  const sub: Sub = { ws, seqs: [], latenciesMs: [] };
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString());
      if (m.type === 'connected') ws.send(JSON.stringify({ action: 'subscribe', id: 1, event_types: ['load.*'] }));
      if (m.type === 'subscribed') resolve();
      if (m.type === 'event') {
        sub.seqs.push(m.event.seq);
        sub.latenciesMs.push(Date.now() - m.event.data.sent_at);
      }
    });
    ws.on('close', (code) => (sub.closeCode = code));
    ws.on('error', reject);
  });
  return sub;
}

describe('slow consumers', () => {
  it('closes 100 stalled subscribers with 4001 while 1,000 events/s flow, keeps memory bounded and healthy subscribers on time, and a stalled one resumes without loss', async () => {
    const server = await startTestServer({ limits: { maxQueuedBytes: 256 * 1024, maxConnectionsPerIp: 1_000 } });
    try {
      const healthy = await Promise.all(Array.from({ length: 10 }, () => subscriber(server.wsUrl)));
      const stalled = await Promise.all(Array.from({ length: 100 }, () => subscriber(server.wsUrl)));
      for (const s of stalled) ((s.ws as unknown as { _socket: Socket })._socket).pause();
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const pad = 'x'.repeat(2_000);
      let published = 0;
      const until = Date.now() + 6_000;
      // 1,000 events/s in batches of 50 every 50 ms, bounded in time and count.
      while (Date.now() < until && published < 7_000) {
        const tick = Date.now();
        await server.publish(Array.from({ length: 50 }, () => ({ type: 'load.tick', data: { sent_at: Date.now(), pad } })));
        published += 50;
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        await sleep(Math.max(0, 50 - (Date.now() - tick)));
        if ((await http(server, 'GET', '/api/metrics')).body.slow_consumers_closed >= stalled.length) break;
      }
      // The server closed them behind what their sockets still hold: read it now and the 4001 close frame arrives.
      for (const s of stalled) ((s.ws as unknown as { _socket: Socket })._socket).resume();
      // Let the healthy ones drain.
      const lastSeq = (await http(server, 'GET', '/api/events/history?types=load.*&limit=1')).body.events[0].seq;
      for (let i = 0; i < 200 && healthy.some((h) => h.seqs.at(-1) !== lastSeq); i++) await sleep(25);

      // Every stalled connection was closed by the server as a slow consumer.
      for (let i = 0; i < 200 && stalled.some((s) => s.closeCode === undefined); i++) await sleep(25);
      expect(stalled.map((s) => s.closeCode)).toEqual(stalled.map(() => 4001));

      // Healthy subscribers got everything, in order, on time.
      const latencies = healthy.flatMap((h) => h.latenciesMs).sort((a, b) => a - b);
      const p99 = latencies[Math.floor(latencies.length * 0.99)]!;
      for (const h of healthy) expect(h.seqs.length).toBe(published);
      expect(p99).toBeLessThan(1_000);
      const growthMb = (rssPeak - rssBefore) / 1024 / 1024;
      // Unbounded buffering would hold 100 x 2 KB x the events sent (over 1 GB); the bound keeps it far below.
      expect(growthMb).toBeLessThan(300);
      const metrics = (await http(server, 'GET', '/api/metrics')).body;
      expect(metrics.slow_consumers_closed).toBe(100);
      console.info(`slow consumers: ${published} events, healthy p99 ${p99} ms, rss growth ${growthMb.toFixed(0)} MB, dropped frames ${metrics.events_dropped}`);

      // A stalled one comes back with since = the last seq it processed and gets every event it missed.
      const victim = stalled[0]!;
      const resumeFrom = victim.seqs.at(-1) ?? 0;
      const back = new WebSocket(server.wsUrl, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      const replayed: number[] = [];
      await new Promise<void>((resolve) => {
        back.on('message', (raw) => {
          const m = JSON.parse(raw.toString());
          if (m.type === 'connected') back.send(JSON.stringify({ action: 'subscribe', event_types: ['load.*'], since: resumeFrom }));
          if (m.type === 'event') replayed.push(m.event.seq);
          if (m.type === 'replayed') resolve();
        });
      });
      const all = [...victim.seqs, ...replayed];
      expect(all).toEqual(healthy[0]!.seqs);
      back.close();
      for (const h of healthy) h.ws.close();
    } finally {
      await server.close();
    }
  });
});
