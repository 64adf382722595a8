import { describe, expect, it } from 'vitest';
import { NatsParser } from './nats-parser.js';

function collect(): { parser: NatsParser; seen: string[] } {
  const seen: string[] = [];
  const parser = new NatsParser({
    onMsg: (payload) => seen.push(`msg:${payload.toString()}`),
    onPing: () => seen.push('ping'),
    onPong: () => seen.push('pong'),
    onError: (text) => seen.push(text),
  });
  return { parser, seen };
}

describe('NatsParser', () => {
  it('reads INFO, MSG with and without reply subject, PING and PONG from one chunk', () => {
    const { parser, seen } = collect();
    parser.push(Buffer.from('INFO {"a":1}\r\nMSG s 1 5\r\nhello\r\nMSG s 1 r 2\r\nhi\r\nPING\r\nPONG\r\n'));
    expect(seen).toEqual(['msg:hello', 'msg:hi', 'ping', 'pong']);
  });

  it('waits for a message split across chunks, even inside its payload', () => {
    const { parser, seen } = collect();
    const bytes = Buffer.from("MSG subj 7 12\r\nhello\r\nworld\r\n-ERR 'x'\r\n");
    for (let i = 0; i < bytes.length; i += 3) parser.push(bytes.subarray(i, i + 3));
    expect(seen).toEqual(['msg:hello\r\nworld', "-ERR 'x'"]);
  });
});
