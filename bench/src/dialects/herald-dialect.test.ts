import { describe, expect, it } from 'vitest';
import type { SessionEvents } from './dialect.js';
import { filterFor, heraldDialect } from './herald-dialect.js';

function session(since?: number): { sent: string[]; seen: string[]; onMessage(text: string): void } {
  const sent: string[] = [];
  const seen: string[] = [];
  const events: SessionEvents = {
    onReady: () => seen.push('ready'),
    onEvent: (stamp) => seen.push(`event ${stamp}`),
    onAck: (count, id, lastSeq) => seen.push(`ack ${count} ${id} ${lastSeq}`),
    onReplayed: (count, isRecovered) => seen.push(`replayed ${count} ${isRecovered}`),
    onError: (text) => seen.push(`error ${text}`),
  };
  const role = since === undefined ? { kind: 'subscriber' as const, index: 7, group: 7 } : { kind: 'subscriber' as const, index: 0, since };
  const s = heraldDialect('tok').open((frame) => sent.push(frame.toString()), role, events);
  return { sent, seen, onMessage: (text) => s.onMessage(Buffer.from(text), 1) };
}

describe('heraldDialect', () => {
  it('subscribes with its filter once connected, and is ready when subscribed', () => {
    const s = session();
    s.onMessage('{"type":"connected","client_id":"c_1"}');
    expect(JSON.parse(s.sent[0]!)).toEqual({ action: 'subscribe', id: 1, event_types: ['bench.*'], filters: filterFor(7, 7) });
    s.onMessage('{"type":"subscribed","subscription_id":"sub_1"}');
    s.onMessage('{"type":"event","subscriptions":["sub_1"],"event":{"seq":3,"data":{"t":42,"g":7}}}');
    expect(s.seen).toEqual(['ready', 'event 42']);
  });

  it('counts replayed events without a stamp, in either key order, then reports the marker', () => {
    const s = session(100);
    s.onMessage('{"type":"connected"}');
    expect(JSON.parse(s.sent[0]!)).toMatchObject({ since: 100 });
    s.onMessage('{"type":"subscribed"}');
    s.onMessage('{"type":"event","replay":true,"event":{"data":{"i":1}}}');
    s.onMessage('{"subscriptions":["sub_1"],"type":"event","event":{"data":{"i":2}}}');
    s.onMessage('{"type":"replayed","subscription_id":"sub_1","count":2,"to_seq":102,"recovered":true}');
    expect(s.seen).toEqual(['ready', 'event -1', 'event -1', 'replayed 2 true']);
  });

  it('reports acknowledgements with the last seq, and error replies', () => {
    const s = session();
    s.onMessage('{"type":"published","id":5,"ids":["a","b"],"seqs":[8,9]}');
    s.onMessage('{"type":"error","id":6,"code":"invalid_params","message":"bad"}');
    expect(s.seen).toEqual(['ack 2 5 9', 'error invalid_params: bad']);
  });
});
