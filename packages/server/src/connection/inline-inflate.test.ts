import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { deflateRawSync, constants as zlib } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { installInlineInflate } from './inline-inflate.js';

const MAX_PAYLOAD_BYTES = 64 * 1024;

interface Received {
  texts: string[];
  /** setImmediate callbacks that ran between the first and the last message (flush turns). */
  turnsBetween: number;
  serverSocket: Promise<WebSocket>;
  isInline: Promise<boolean>;
}

let servers: WebSocketServer[] = [];
let sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets = [];
  for (const s of servers) for (const client of s.clients) client.terminate();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

/** A ws server negotiating permessage-deflate as Herald does, with the adapter installed. */
async function startServer(expected: number): Promise<{ port: number; received: Received }> {
  const wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    maxPayload: MAX_PAYLOAD_BYTES,
    perMessageDeflate: { serverNoContextTakeover: true, clientNoContextTakeover: true, threshold: Number.MAX_SAFE_INTEGER },
  });
  servers.push(wss);
  await new Promise((resolve) => wss.once('listening', resolve));
  let turns = 0;
  let isTicking = false;
  const tick = (): void => {
    turns++;
    if (isTicking) setImmediate(tick);
  };
  const received = { texts: [] as string[], turnsBetween: 0 } as Received;
  let resolveSocket!: (ws: WebSocket) => void;
  let resolveInline!: (v: boolean) => void;
  received.serverSocket = new Promise((r) => (resolveSocket = r));
  received.isInline = new Promise((r) => (resolveInline = r));
  wss.on('connection', (ws) => {
    resolveInline(installInlineInflate(ws, MAX_PAYLOAD_BYTES));
    resolveSocket(ws);
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      if (received.texts.length === 0) {
        isTicking = true;
        setImmediate(tick);
      }
      received.texts.push((data as Buffer).toString());
      if (received.texts.length === expected) {
        isTicking = false;
        received.turnsBetween = turns;
      }
    });
  });
  return { port: (wss.address() as AddressInfo).port, received };
}

/** A raw client: the handshake a browser sends, then frames written exactly as given. */
async function rawClient(port: number): Promise<{ socket: Socket; extensions: string; closeCode: Promise<number> }> {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    [
      'GET / HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits',
      '',
      '',
    ].join('\r\n'),
  );
  const head = await new Promise<string>((resolve) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
  });
  const extensions = /sec-websocket-extensions: (.*)\r\n/i.exec(head)?.[1] ?? '';
  // Server frames are unmasked; the tests' only server frame is a close: 0x88, length, code.
  const closeCode = new Promise<number>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      if (chunk[0] === 0x88 && chunk.length >= 4) resolve(chunk.readUInt16BE(2));
    });
    socket.on('close', () => resolve(1006));
  });
  return { socket, extensions, closeCode };
}

/** A masked client frame (mask key 0, so the payload bytes stay as they are). */
function frame(payload: Buffer, options: { isCompressed?: boolean; fin?: boolean; opcode?: number } = {}): Buffer {
  const { isCompressed = false, fin = true, opcode = 0x1 } = options;
  const length = payload.length;
  const header = Buffer.alloc(length < 126 ? 6 : length < 65_536 ? 8 : 14);
  header[0] = (fin ? 0x80 : 0) | (isCompressed ? 0x40 : 0) | opcode;
  if (length < 126) header[1] = 0x80 | length;
  else if (length < 65_536) {
    header[1] = 0x80 | 126;
    header.writeUInt16BE(length, 2);
  } else {
    header[1] = 0x80 | 127;
    header.writeUInt32BE(0, 2);
    header.writeUInt32BE(length, 6);
  }
  return Buffer.concat([header, payload]);
}

/** One message deflated on its own, trailer dropped (RFC 7692 §7.2.1). */
function deflated(text: string | Buffer): Buffer {
  const out = deflateRawSync(text, { finishFlush: zlib.Z_SYNC_FLUSH });
  return out.subarray(0, out.length - 4);
}

function inflaterOf(ws: WebSocket): unknown {
  return (ws as unknown as { _extensions: Record<string, { _inflate: unknown }> })._extensions['permessage-deflate']?._inflate;
}

describe('installInlineInflate', () => {
  it('negotiates client_no_context_takeover with a browser-style offer and takes over the connection', async () => {
    const { port, received } = await startServer(1);
    const { extensions } = await rawClient(port);
    expect(extensions).toContain('client_no_context_takeover');
    expect(await received.isInline).toBe(true);
  });

  it('delivers every compressed message of one read, in order, in the same turn', async () => {
    const texts = Array.from({ length: 50 }, (_, i) => JSON.stringify({ action: 'publish', id: i, data: { n: i, pad: 'x'.repeat(i * 7) } }));
    const { port, received } = await startServer(texts.length);
    const { socket } = await rawClient(port);
    socket.write(Buffer.concat(texts.map((t) => frame(deflated(t), { isCompressed: true }))));
    await expect.poll(() => received.texts.length).toBe(texts.length);
    expect(received.texts).toEqual(texts);
    // ws alone needs a thread-pool round trip per message; inline, no flush turn runs in between.
    expect(received.turnsBetween).toBe(0);
    // No zlib stream is kept for the connection.
    expect(inflaterOf(await received.serverSocket)).toBeNull();
  });

  it('mixes compressed and plain messages in order', async () => {
    const { port, received } = await startServer(4);
    const { socket } = await rawClient(port);
    socket.write(
      Buffer.concat([
        frame(deflated('one'), { isCompressed: true }),
        frame(Buffer.from('two')),
        frame(deflated('three'), { isCompressed: true }),
        frame(Buffer.from('four')),
      ]),
    );
    await expect.poll(() => received.texts).toEqual(['one', 'two', 'three', 'four']);
  });

  it('reassembles a fragmented compressed message through ws, then frees its zlib stream', async () => {
    const { port, received } = await startServer(2);
    const { socket } = await rawClient(port);
    const text = JSON.stringify({ pad: 'fragmented '.repeat(200) });
    const body = deflated(text);
    const cut = Math.floor(body.length / 2);
    socket.write(
      Buffer.concat([
        frame(body.subarray(0, cut), { isCompressed: true, fin: false }),
        frame(body.subarray(cut), { fin: true, opcode: 0x0 }),
        frame(deflated('after'), { isCompressed: true }),
      ]),
    );
    await expect.poll(() => received.texts).toEqual([text, 'after']);
    expect(inflaterOf(await received.serverSocket)).toBeNull();
  });

  it('closes with 1009 when a message inflates past maxPayload (a deflate bomb)', async () => {
    const { port, received } = await startServer(1);
    const { socket, closeCode } = await rawClient(port);
    const bomb = deflated(Buffer.alloc(50 * MAX_PAYLOAD_BYTES, 0x61));
    expect(bomb.length).toBeLessThan(MAX_PAYLOAD_BYTES);
    socket.write(frame(bomb, { isCompressed: true }));
    expect(await closeCode).toBe(1009);
    expect(received.texts).toEqual([]);
  });

  it('closes with 1007 on compressed bytes that are not deflate data', async () => {
    const { port, received } = await startServer(1);
    const { socket, closeCode } = await rawClient(port);
    socket.write(frame(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x12]), { isCompressed: true }));
    expect(await closeCode).toBe(1007);
    expect(received.texts).toEqual([]);
  });

  it('closes with 1007 when the inflated text is not UTF-8', async () => {
    const { port, received } = await startServer(1);
    const { socket, closeCode } = await rawClient(port);
    socket.write(frame(deflated(Buffer.from([0x7b, 0xc3, 0x28, 0x7d])), { isCompressed: true }));
    expect(await closeCode).toBe(1007);
    expect(received.texts).toEqual([]);
  });

  it('works with the ws client at its defaults (it compresses what reaches its threshold)', async () => {
    const texts = ['small', 'y'.repeat(5_000), 'small again'];
    const { port, received } = await startServer(texts.length);
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    await new Promise((resolve) => client.once('open', resolve));
    expect(await received.isInline).toBe(true);
    for (const t of texts) client.send(t);
    await expect.poll(() => received.texts).toEqual(texts);
    client.close();
  });

  it('leaves a connection without permessage-deflate alone', async () => {
    const { port, received } = await startServer(1);
    const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    await new Promise((resolve) => client.once('open', resolve));
    expect(await received.isInline).toBe(false);
    client.send('plain');
    await expect.poll(() => received.texts).toEqual(['plain']);
    client.close();
  });
});
