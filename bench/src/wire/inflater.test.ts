import { constants, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createInflater } from './inflater.js';

/** Compresses messages the way a permessage-deflate sender with context takeover does. */
async function compressWithContext(messages: string[]): Promise<Buffer[]> {
  const deflate = createDeflateRaw();
  const out: Buffer[] = [];
  for (const message of messages) {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer): number => chunks.push(chunk);
    deflate.on('data', onData);
    deflate.write(message);
    await new Promise<void>((resolve) => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    deflate.off('data', onData);
    const whole = Buffer.concat(chunks);
    out.push(whole.subarray(0, whole.length - 4));
  }
  deflate.close();
  return out;
}

describe('createInflater', () => {
  it('inflates a standalone message synchronously under server_no_context_takeover', () => {
    const compressed = deflateRawSync('{"t":1}', { finishFlush: constants.Z_SYNC_FLUSH });
    let message = '';
    createInflater('permessage-deflate; server_no_context_takeover').inflate(
      compressed.subarray(0, compressed.length - 4),
      (m) => (message = m.toString()),
    );
    expect(message).toBe('{"t":1}');
  });

  it('inflates messages that refer back to earlier ones, in order', async () => {
    const texts = ['{"t":1,"pad":"aaaaaaaaaaaa"}', '{"t":2,"pad":"aaaaaaaaaaaa"}', '{"t":3,"pad":"aaaaaaaaaaaa"}'];
    const inflater = createInflater('permessage-deflate; client_max_window_bits=15');
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      void compressWithContext(texts).then((frames) => {
        for (const frame of frames) inflater.inflate(frame, (m) => (seen.push(m.toString()), seen.length === texts.length && resolve()));
      });
    });
    await done;
    expect(seen).toEqual(texts);
  });
});
