import { readStamp } from '../wire/stamp.js';
import { roomOf, type Dialect, type OutgoingEvent, type Role, type SessionEvents } from './dialect.js';

const OPEN = 0x30; // '0' engine.io open
const PING = 0x32; // '2' engine.io ping
const MESSAGE = 0x34; // '4' engine.io message
const CONNECT = 0x30; // '0' socket.io connect, after MESSAGE
const EVENT = 0x32; // '2' socket.io event, after MESSAGE
const ERROR = 0x34; // '4' socket.io connect error, after MESSAGE

/**
 * Engine.IO 4 / Socket.IO 5 wire format over the websocket transport: open
 * `0{…}`, namespace connect `40`, events `42["name",…]`, ping `2` / pong `3`.
 */
export const socketIoDialect: Dialect = {
  path: () => '/socket.io/?EIO=4&transport=websocket',
  headers: () => ({}),
  open(send, role: Role, events: SessionEvents) {
    return {
      onMessage(payload, receivedUs) {
        const c0 = payload[0];
        if (c0 === MESSAGE && payload[1] === EVENT) {
          const stamp = readStamp(payload);
          if (stamp >= 0) events.onEvent(stamp, receivedUs);
          else if (payload.includes('"joined"')) events.onReady();
        } else if (c0 === PING) {
          send('3');
        } else if (c0 === OPEN) {
          send('40');
        } else if (c0 === MESSAGE && payload[1] === CONNECT) {
          if (role.kind === 'publisher') events.onReady();
          else send(`42["join","${roomOf(role.group)}"]`);
        } else if (c0 === MESSAGE && payload[1] === ERROR) {
          events.onError(payload.toString());
        }
      },
    };
  },
  publishFrames: (batch: OutgoingEvent[]) => batch.map((event) => `42["pub","${roomOf(event.group)}",${event.data}]`),
};
