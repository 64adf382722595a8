import { NatsParser } from '../wire/nats-parser.js';
import { readStamp } from '../wire/stamp.js';
import { roomOf, type Dialect, type OutgoingEvent, type Role, type SessionEvents } from './dialect.js';

const CONNECT = 'CONNECT {"verbose":false,"pedantic":false,"protocol":1,"lang":"bench","version":"0"}\r\n';

/**
 * The NATS text protocol over nats-server's WebSocket listener. Rooms map to
 * subjects `bench.<room>`; readiness is the PONG to a PING sent after SUB,
 * which the server answers only once the SUB is processed.
 */
export const natsDialect: Dialect = {
  path: () => '/',
  headers: () => ({}),
  open(send, role: Role, events: SessionEvents) {
    let isReady = false;
    const parser = new NatsParser({
      onMsg(payload) {
        const stamp = readStamp(payload);
        if (stamp >= 0) events.onEvent(stamp, receivedAt);
      },
      onPing: () => send('PONG\r\n'),
      onPong() {
        if (isReady) return;
        isReady = true;
        events.onReady();
      },
      onError: (text) => events.onError(text),
    });
    let receivedAt = 0;
    const sub = role.kind === 'subscriber' ? `SUB bench.${roomOf(role.group)} 1\r\n` : '';
    send(`${CONNECT}${sub}PING\r\n`);
    return {
      onMessage(payload, receivedUs) {
        receivedAt = receivedUs;
        parser.push(payload);
      },
    };
  },
  publishFrames(batch: OutgoingEvent[]) {
    // NATS is a byte stream: one frame carries the whole tick.
    let text = '';
    for (const event of batch) text += `PUB bench.${roomOf(event.group)} ${event.data.length}\r\n${event.data}\r\n`;
    return text.length === 0 ? [] : [text];
  },
};
