import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestClient, TEST_ADMIN_TOKEN, startTestServer, type TestServer } from './helpers.js';

const MAX_PAYLOAD_BYTES = 16 * 1024;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { maxPayloadBytes: MAX_PAYLOAD_BYTES, messagesPerSecond: 100_000, messageBurst: 100_000 } });
});
afterAll(async () => {
  await server.close();
});

/**
 * A client that offers permessage-deflate. `threshold: 0` compresses every
 * message, as browsers do; ws's own default leaves small messages plain once
 * client_no_context_takeover is negotiated.
 */
async function deflateClient(options: { compressesEverything: boolean }): Promise<TestClient> {
  const ws = new WebSocket(server.wsUrl, {
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    perMessageDeflate: options.compressesEverything ? { threshold: 0 } : true,
  });
  const client = new TestClient(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  await client.waitFor((m) => m.type === 'connected');
  return client;
}

describe('clients that negotiate permessage-deflate', () => {
  it('deliver every event of a compressing, one-event-per-message publisher to compressing subscribers, in order and intact', async () => {
    const subscribers = await Promise.all([1, 2, 3].map(() => deflateClient({ compressesEverything: true })));
    for (const s of subscribers) expect(await s.request('subscribe', { event_types: ['deflate.order'] })).toMatchObject({ type: 'subscribed' });
    const publisher = await deflateClient({ compressesEverything: true });
    const count = 300;
    // One event per message, all sent at once: many compressed frames arrive in the same reads.
    for (let i = 0; i < count; i++) {
      publisher.send({ action: 'publish', id: i, event: { type: 'deflate.order', source: 'test', data: { i, text: `é ${'ab'.repeat(i % 50)}` } } });
    }
    await expect.poll(() => publisher.messages.filter((m) => m.type === 'published').length, { timeout: 10_000 }).toBe(count);
    for (const s of subscribers) {
      await expect.poll(() => s.events().length, { timeout: 10_000 }).toBe(count);
      const data = s.events().map((e) => e.data as { i: number; text: string });
      expect(data.map((d) => d.i)).toEqual(Array.from({ length: count }, (_, i) => i));
      expect(data.every((d) => d.text === `é ${'ab'.repeat(d.i % 50)}`)).toBe(true);
      s.close();
    }
    publisher.close();
  });

  it('deliver events of a publisher using the ws client defaults', async () => {
    const subscriber = await deflateClient({ compressesEverything: false });
    await subscriber.request('subscribe', { event_types: ['deflate.defaults'] });
    const publisher = await deflateClient({ compressesEverything: false });
    const big = 'z'.repeat(4_000); // above ws's 1 KiB threshold: sent compressed
    expect(await publisher.request('publish', { event: { type: 'deflate.defaults', source: 'test', data: { big } } })).toMatchObject({ type: 'published' });
    expect(await publisher.request('publish', { event: { type: 'deflate.defaults', source: 'test', data: { small: 1 } } })).toMatchObject({ type: 'published' });
    await expect.poll(() => subscriber.events().map((e) => e.data)).toEqual([{ big }, { small: 1 }]);
    subscriber.close();
    publisher.close();
  });

  it('closes with 1009 a client whose compressed message inflates past maxPayloadBytes, and other clients carry on', async () => {
    const bystander = await deflateClient({ compressesEverything: true });
    await bystander.request('subscribe', { event_types: ['deflate.bomb'] });
    const bomber = await deflateClient({ compressesEverything: true });
    // 1 MiB of one letter deflates to about 1 KiB: small on the wire, 64 times the limit inflated.
    bomber.send({ action: 'publish', event: { type: 'deflate.bomb', source: 'test', data: { pad: 'a'.repeat(1024 * 1024) } } });
    expect(await bomber.closed).toBe(1009);
    const publisher = await deflateClient({ compressesEverything: true });
    expect(await publisher.request('publish', { event: { type: 'deflate.bomb', source: 'test', data: { ok: true } } })).toMatchObject({ type: 'published' });
    await expect.poll(() => bystander.events().map((e) => e.data)).toEqual([{ ok: true }]);
    bystander.close();
    publisher.close();
  });

  it('reassembles a fragmented compressed message and answers it', async () => {
    const client = await deflateClient({ compressesEverything: true });
    const text = JSON.stringify({ action: 'ping', id: 'frag' });
    const cut = Math.floor(text.length / 2);
    client.ws.send(text.slice(0, cut), { fin: false });
    client.ws.send(text.slice(cut), { fin: true });
    expect(await client.waitFor((m) => m.id === 'frag')).toMatchObject({ type: 'pong' });
    expect(await client.request('ping')).toMatchObject({ type: 'pong' });
    client.close();
  });

  it('answers an invalid compressed message with a precise error and keeps the connection', async () => {
    const client = await deflateClient({ compressesEverything: true });
    const reply = await client.request('publish', { event: { source: 'test', data: 'x'.repeat(100) } });
    expect(reply).toMatchObject({ type: 'error' });
    expect(await client.request('ping')).toMatchObject({ type: 'pong' });
    client.close();
  });
});
