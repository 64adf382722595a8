import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { announce, isDeflateRequested } from './rooms.js';

/**
 * Peer "socket.io": Socket.IO 4 with rooms, websocket transport only. A
 * subscriber emits `join`; the publisher emits `pub` (room, data) and the
 * server broadcasts `e` to the room (Socket.IO encodes a broadcast once).
 */
const httpServer = createServer();
const io = new Server(httpServer, {
  transports: ['websocket'],
  serveClient: false,
  perMessageDeflate: isDeflateRequested,
  maxHttpBufferSize: 1 << 20,
});

io.on('connection', (socket) => {
  socket.on('join', (room: string) => {
    void socket.join(room);
    socket.emit('joined');
  });
  socket.on('pub', (room: string, data: unknown) => {
    io.to(room).emit('e', data);
  });
});

httpServer.listen(0, '127.0.0.1', () => {
  const address = httpServer.address();
  announce(typeof address === 'object' && address !== null ? address.port : 0);
});
