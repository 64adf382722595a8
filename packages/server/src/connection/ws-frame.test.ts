import { createHash } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket, { Sender } from 'ws';
import { encodeTextFrame, encodeTextMessage } from './ws-frame.js';

function wsFrame(payload: Buffer): Buffer {
  const parts = Sender.frame(payload, { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false } as never) as Buffer[];
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
        socket.write(Buffer.concat(messages.map(encodeTextMessage)));
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
