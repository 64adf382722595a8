import { describe, expect, it } from 'vitest';
import { connectUrl, parseServerMessage } from './connection.js';

describe('connectUrl', () => {
  it('leaves the token out of the URL when it travels in the auth message', () => {
    expect(connectUrl({ url: 'ws://h/ws', token: 'secret', tokenTransport: 'message' })).toBe('ws://h/ws');
  });

  it('adds the token as a query parameter, escaped, when asked to', () => {
    expect(connectUrl({ url: 'ws://h/ws?x=1', token: 'a b&c', tokenTransport: 'query' })).toBe('ws://h/ws?x=1&token=a+b%26c');
  });

  it('dials the bare URL without a token', () => {
    expect(connectUrl({ url: 'ws://h/ws', token: undefined, tokenTransport: 'query' })).toBe('ws://h/ws');
  });
});

describe('parseServerMessage', () => {
  it('reads a JSON object with a string type', () => {
    expect(parseServerMessage('{"type":"pong","id":1,"server_time":"t"}')).toEqual({ type: 'pong', id: 1, server_time: 't' });
  });

  it('skips malformed, typeless and binary frames', () => {
    expect(parseServerMessage('{not json')).toBeUndefined();
    expect(parseServerMessage('{"id":1}')).toBeUndefined();
    expect(parseServerMessage('[1,2]')).toBeUndefined();
    expect(parseServerMessage(new ArrayBuffer(2))).toBeUndefined();
  });
});
