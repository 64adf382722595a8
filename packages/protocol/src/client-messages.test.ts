import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeClientMessage, MAX_FRAME_DEPTH } from './client-messages.js';

const fixtures = JSON.parse(readFileSync(new URL('../fixtures/client-frames.json', import.meta.url), 'utf8')) as {
  valid: Array<{ frame: string; action: string }>;
  invalid: Array<{ frame: string; code: string; path?: string }>;
};

describe('decodeClientMessage', () => {
  describe('conformance fixtures', () => {
    for (const f of fixtures.valid) {
      it(`accepts ${f.frame.slice(0, 70)}`, () => {
        const r = decodeClientMessage(f.frame);
        expect(r.ok && r.value.action).toBe(f.action);
      });
    }
    for (const f of fixtures.invalid) {
      it(`refuses ${f.frame.slice(0, 70) || '(empty)'} with ${f.code}`, () => {
        const r = decodeClientMessage(f.frame);
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error.code).toBe(f.code);
          if (f.path) expect(r.error.details?.path).toBe(f.path);
          expect(r.error.message.length).toBeGreaterThan(10);
        }
      });
    }
  });

  it('reads the aliases types and eventTypes as event_types', () => {
    for (const key of ['types', 'eventTypes']) {
      const r = decodeClientMessage(JSON.stringify({ action: 'subscribe', [key]: ['a.*'] }));
      expect(r.ok && (r.value as { event_types: string[] }).event_types).toEqual(['a.*']);
    }
  });

  it('refuses nesting deeper than the maximum', () => {
    const deep = `{"action":"ping","x":${'['.repeat(MAX_FRAME_DEPTH + 2)}${']'.repeat(MAX_FRAME_DEPTH + 2)}}`;
    const r = decodeClientMessage(deep);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('invalid_frame');
  });

  it('returns a route for an action that is not built in, with its parameters', () => {
    const r = decodeClientMessage('{"action":"sendMessage","id":3,"message":"hi"}');
    expect(r).toEqual({ ok: true, value: { action: 'sendMessage', id: 3, route: true, params: { message: 'hi' } } });
  });
});
