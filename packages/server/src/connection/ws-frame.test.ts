import { createHash } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import * as wsModule from 'ws';
import WebSocket from 'ws';
import { encodeTextFrame, OutboundFrame } from './ws-frame.js';

// ws exports its Sender at run time; its type declarations leave it out.
const { Sender } = wsModule as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } };

function wsFrame(payload: Buffer): Buffer {
  const parts = Sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false });
  return Buffer.concat(parts);
}

describe('encodeTextFrame', () => {
  it('produces the same bytes as ws for the three length encodings', () => {
    for (const size of [0, 1, 125, 126, 127, 65_535, 65_536, 200_000]) {
      const payload = Buffer.alloc(size, 'a');
      expect(encodeTextFrame(payload).equals(wsFrame(payload)), `size ${size}`).toBe(true);
    }
  });

  it('is read as text messages by a real ws client, several frames in one write', async () => {
    const messages = ['{"a":1}', 'é'.repeat(100), 'x'.repeat(70_000)];
    const server = createServer((socket) => {
      socket.once('data', (req) => {
        const key = /Sec-WebSocket-Key: (.+)\r\n/i.exec(req.toString())![1]!;
        const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
        socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
        socket.write(Buffer.concat(messages.map((m) => OutboundFrame.fromText(m).plain)));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const got: string[] = [];
    await new Promise<void>((resolve) =>
      ws.on('message', (data, isBinary) => {
        expect(isBinary).toBe(false);
        got.push(data.toString());
        if (got.length === messages.length) resolve();
      }),
    );
    expect(got).toEqual(messages);
    ws.terminate();
    server.close();
  });
});

describe('OutboundFrame', () => {
  it('sends large messages compressed once and small ones plain to a client that negotiated permessage-deflate', async () => {
    const { WebSocketServer } = await import('ws');
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: { serverNoContextTakeover: true, threshold: 0 } });
    const big = JSON.stringify({ data: 'abc'.repeat(2_000) });
    const small = '{"a":1}';
    const frames = [OutboundFrame.fromText(big), OutboundFrame.fromText(small), OutboundFrame.fromText(big)];
    wss.on('connection', (ws) => {
      expect(ws.extensions).toContain('permessage-deflate');
      const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
      const wire = frames.map((f) => f.forDeflate(1024));
      // Compressed once: the same buffer serves every connection.
      expect(frames[0]!.forDeflate(1024)).toBe(wire[0]);
      expect(wire[0]!.length).toBeLessThan(big.length / 5);
      expect(wire[1]).toBe(frames[1]!.plain);
      socket.write(Buffer.concat(wire));
    });
    await new Promise((r) => wss.once('listening', r));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`, { perMessageDeflate: true });
    const got: string[] = [];
    await new Promise<void>((resolve) =>
      client.on('message', (data) => {
        got.push(data.toString());
        if (got.length === 3) resolve();
      }),
    );
    expect(got).toEqual([big, small, big]);
    client.terminate();
    wss.close();
  });
});
