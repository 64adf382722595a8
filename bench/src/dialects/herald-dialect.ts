import { readStamp } from '../wire/stamp.js';
import type { Dialect, OutgoingEvent, Role, SessionEvents } from './dialect.js';

/** How Herald's event frames begin; lets stamp-less (seeded) events be counted without parsing. */
const EVENT_PREFIX = Buffer.from('{"type":"event"');

function startsWith(payload: Buffer, prefix: Buffer): boolean {
  return payload.length >= prefix.length && payload.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

/** The type every bench event is published under. */
export const BENCH_EVENT_TYPE = 'bench.tick';

interface ControlFrame {
  type?: string;
  id?: number;
  ids?: unknown[];
  seqs?: number[];
  count?: number;
  recovered?: boolean;
  code?: string;
  message?: string;
}

/**
 * The S4 filter of subscriber `index`: equality on the group (10% of events)
 * plus a range clause unique to the subscriber that always holds, so no two
 * filters are the same yet each matches exactly its group.
 */
export function filterFor(group: number, index: number): Record<string, unknown> {
  return { 'data.g': group, 'data.t': { gt: index } };
}

/**
 * Herald protocol v1: `connected`, then `subscribe` → `subscribed`; events
 * are `{"type":"event",…,"data":{"t":…}}`. Event frames (with a stamp, or
 * starting as events do) are counted without parsing; everything else is
 * JSON-parsed (rare).
 */
export function heraldDialect(token: string): Dialect {
  return {
    path: () => '/ws',
    headers: () => ({ Authorization: `Bearer ${token}` }),
    open(send, role: Role, events: SessionEvents) {
      let replayed = 0;
      return {
        onMessage(payload, receivedUs) {
          const stamp = readStamp(payload);
          if (stamp >= 0 || startsWith(payload, EVENT_PREFIX)) {
            if (role.since !== undefined) replayed++;
            events.onEvent(stamp, receivedUs);
            return;
          }
          let frame: ControlFrame;
          try {
            frame = JSON.parse(payload.toString()) as ControlFrame;
          } catch {
            events.onError(`unparsable frame: ${payload.toString().slice(0, 80)}`);
            return;
          }
          switch (frame.type) {
            case 'event':
              // An event frame whose keys come in another order: slower, still counted.
              if (role.since !== undefined) replayed++;
              events.onEvent(-1, receivedUs);
              break;
            case 'connected':
              if (role.kind === 'publisher') events.onReady();
              else send(JSON.stringify(subscribeMessage(role)));
              break;
            case 'subscribed':
              events.onReady();
              break;
            case 'replayed':
              events.onReplayed(frame.count ?? replayed, frame.recovered !== false);
              break;
            case 'published':
              events.onAck(frame.ids?.length ?? 0, frame.id ?? 0, frame.seqs?.at(-1) ?? NaN);
              break;
            case 'error':
              events.onError(`${frame.code ?? 'error'}: ${frame.message ?? ''}`);
              break;
            default:
              break;
          }
        },
      };
    },
    publishFrames(batch: OutgoingEvent[], nextId) {
      if (batch.length === 0) return [];
      const events = batch.map((event) => `{"type":"${BENCH_EVENT_TYPE}","source":"bench","data":${event.data}}`);
      return [`{"action":"publish","id":${nextId()},"events":[${events.join(',')}]}`];
    },
  };
}

function subscribeMessage(role: Role): Record<string, unknown> {
  const message: Record<string, unknown> = { action: 'subscribe', id: 1, event_types: ['bench.*'] };
  if (role.group !== undefined) message['filters'] = filterFor(role.group, role.index);
  if (role.since !== undefined) message['since'] = role.since;
  return message;
}
