import { readStamp } from '../wire/stamp.js';
import { roomOf, type Dialect, type OutgoingEvent, type Role, type SessionEvents } from './dialect.js';

/**
 * The bench's own protocol for the raw `ws` peers: a subscriber names its room
 * in the URL; the publisher sends `room\n<data>` and subscribers receive
 * `<data>` unchanged.
 */
export const rawWsDialect: Dialect = {
  path: (role: Role) => (role.kind === 'publisher' ? '/?role=pub' : `/?room=${roomOf(role.group)}`),
  headers: () => ({}),
  open(_send, _role, events: SessionEvents) {
    // The server registers the socket before its 101 reaches us.
    queueMicrotask(() => events.onReady());
    return {
      onMessage(payload, receivedUs) {
        const stamp = readStamp(payload);
        if (stamp >= 0) events.onEvent(stamp, receivedUs);
      },
    };
  },
  publishFrames: (batch: OutgoingEvent[]) => batch.map((event) => `${roomOf(event.group)}\n${event.data}`),
};
