import { WebSocketServer, type WebSocket } from 'ws';
import { announce, isDeflateRequested, parseUpgrade, Rooms, splitPublish } from './rooms.js';

/**
 * Peer "ws-send": what most apps do, `client.send(text)` for every member of
 * the room. With deflate, ws's default permessage-deflate settings.
 */
const rooms = new Rooms<WebSocket>();

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 1 << 20, perMessageDeflate: isDeflateRequested });

server.on('connection', (ws: WebSocket, req) => {
  const { isPublisher, room } = parseUpgrade(req);
  if (isPublisher) {
    ws.on('message', (data: Buffer) => {
      const message = splitPublish(data);
      const text = message.payload.toString();
      for (const member of rooms.members(message.room)) member.send(text);
    });
    return;
  }
  ws.on('close', rooms.join(room, ws));
});

server.on('listening', () => {
  const address = server.address();
  announce(typeof address === 'object' && address !== null ? address.port : 0);
});
