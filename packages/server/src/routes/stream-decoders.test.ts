import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedStreamError, NdjsonDecoder, SseDecoder, decoderFor, type BackendItem, type StreamDecoder } from './stream-decoders.js';

/** Feeds `text` cut at the given offsets, as a network would. */
function feed(decoder: StreamDecoder, text: string, cuts: number[]): BackendItem[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: BackendItem[] = [];
  let from = 0;
  for (const p of [...points, text.length]) {
    out.push(...decoder.push(text.slice(from, p)));
    from = p;
  }
  return [...out, ...decoder.end()];
}

describe('NdjsonDecoder', () => {
  it('turns content lines into chunks and a result line into the result, wherever the network cuts', () => {
    const text = '{"content":"Hel"}\n\n{"content":"lo","progress":1,"total":2}\n{"result":{"ok":true}}';
    const expected: BackendItem[] = [
      { kind: 'chunk', content: 'Hel' },
      { kind: 'chunk', content: 'lo', progress: 1, total: 2 },
      { kind: 'result', result: { ok: true } },
    ];
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 8 }), (cuts) => {
        expect(feed(new NdjsonDecoder(), text, cuts)).toEqual(expected);
      }),
    );
  });

  it('reports an error line as a failure', () => {
    expect(new NdjsonDecoder().push('{"error":{"message":"model overloaded"}}\n')).toEqual([
      { kind: 'error', message: 'model overloaded' },
    ]);
  });

  it('names the line that is not JSON', () => {
    const d = new NdjsonDecoder();
    d.push('{"content":"a"}\n');
    expect(() => d.push('not json\n')).toThrow(new MalformedStreamError('NDJSON line 2 is not JSON: "not json"'));
  });
});

describe('SseDecoder', () => {
  it('joins data lines into events, skips comments and [DONE], and reads named events', () => {
    const text = ': hello\r\ndata: {"content":"a"}\n\ndata: plain\ndata: text\n\nevent: result\ndata: {"n":2}\n\ndata: [DONE]\n\n';
    const expected: BackendItem[] = [
      { kind: 'chunk', content: 'a' },
      { kind: 'chunk', content: 'plain\ntext' },
      { kind: 'result', result: { n: 2 } },
    ];
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 8 }), (cuts) => {
        expect(feed(new SseDecoder(), text, cuts)).toEqual(expected);
      }),
    );
  });

  it('reports an error event as a failure', () => {
    expect(feed(new SseDecoder(), 'event: error\ndata: {"error":"quota exceeded"}\n\n', [])).toEqual([
      { kind: 'error', message: 'quota exceeded' },
    ]);
  });

  it('dispatches a last event that lacks its blank line at the end of the stream', () => {
    expect(feed(new SseDecoder(), 'data: {"content":"end"}', [])).toEqual([{ kind: 'chunk', content: 'end' }]);
  });
});

describe('decoderFor', () => {
  it('streams NDJSON and SSE content types and treats others as one body', () => {
    expect(decoderFor('application/x-ndjson; charset=utf-8')).toBeInstanceOf(NdjsonDecoder);
    expect(decoderFor('text/event-stream')).toBeInstanceOf(SseDecoder);
    expect(decoderFor('application/json')).toBeUndefined();
    expect(decoderFor(null)).toBeUndefined();
  });
});
