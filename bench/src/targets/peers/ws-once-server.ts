import type { Socket } from 'node:net';
import { deflateRawSync } from 'node:zlib';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeFrame } from '../../wire/ws-frame.js';
import { announce, isDeflateRequested, parseUpgrade, Rooms, splitPublish } from './rooms.js';

/**
 * Peer "ws-once": the practical Node limit. Each event's frame is built once;
 * frames are gathered per room and written once per event-loop turn to each
 * member's socket, bypassing ws's per-send work. With deflate, messages of
 * COMPRESS_MIN_BYTES or more are compressed once for all members
 * (server_no_context_takeover makes one compressed frame valid for all).
 */
const COMPRESS_MIN_BYTES = 1_024;

interface Member {
  socket: Socket;
  isDeflate: boolean;
}

const rooms = new Rooms<Member>();
const pending = new Map<string, { plain: Buffer[]; deflated: Buffer[] }>();
let isFlushScheduled = false;

const server = new WebSocketServer({
  host: '127.0.0.1',
  port: 0,
  maxPayload: 1 << 20,
  perMessageDeflate: isDeflateRequested ? { serverNoContextTakeover: true, threshold: COMPRESS_MIN_BYTES } : false,
});

server.on('connection', (ws: WebSocket, req) => {
  const { isPublisher, room } = parseUpgrade(req);
  if (isPublisher) {
    ws.on('message', (data: Buffer) => enqueue(data));
    return;
  }
  const socket = (ws as unknown as { _socket: Socket })._socket;
  const leave = rooms.join(room, { socket, isDeflate: ws.extensions.includes('permessage-deflate') });
  ws.on('close', leave);
});

server.on('listening', () => {
  const address = server.address();
  announce(typeof address === 'object' && address !== null ? address.port : 0);
});

function enqueue(message: Buffer): void {
  const { room, payload } = splitPublish(message);
  let frames = pending.get(room);
  if (frames === undefined) pending.set(room, (frames = { plain: [], deflated: [] }));
  const plain = encodeFrame(payload, { isMasked: false });
  frames.plain.push(plain);
  if (isDeflateRequested) frames.deflated.push(payload.length >= COMPRESS_MIN_BYTES ? deflatedFrame(payload) : plain);
  if (!isFlushScheduled) {
    isFlushScheduled = true;
    setImmediate(flush);
  }
}

function deflatedFrame(payload: Buffer): Buffer {
  const compressed = deflateRawSync(payload);
  // RFC 7692 7.2.1: drop the empty stored block's 00 00 ff ff trailer.
  return encodeFrame(compressed.subarray(0, compressed.length - 4), { isMasked: false, isCompressed: true });
}

function flush(): void {
  isFlushScheduled = false;
  for (const [room, frames] of pending) {
    const plain = Buffer.concat(frames.plain);
    const deflated = isDeflateRequested ? Buffer.concat(frames.deflated) : plain;
    for (const member of rooms.members(room)) member.socket.write(member.isDeflate ? deflated : plain);
  }
  pending.clear();
}
