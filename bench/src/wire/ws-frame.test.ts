import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameReader, Opcode } from './ws-frame.js';

function unmask(frame: Buffer): { opcode: number; payload: Buffer } {
  let length = frame[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    length = frame.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    length = frame.readUInt32BE(6);
    offset = 10;
  }
  const key = frame.subarray(offset, offset + 4);
  const payload = Buffer.alloc(length);
  for (let i = 0; i < length; i++) payload[i] = frame[offset + 4 + i]! ^ key[i & 3]!;
  return { opcode: frame[0]! & 0x0f, payload };
}

function collect(): { reader: FrameReader; messages: Array<[number, boolean, string]> } {
  const messages: Array<[number, boolean, string]> = [];
  const reader = new FrameReader((opcode, isCompressed, payload) => messages.push([opcode, isCompressed, payload.toString()]));
  return { reader, messages };
}

describe('encodeFrame', () => {
  it('masks client frames so that unmasking restores the payload, for all three length forms', () => {
    for (const size of [5, 300, 70_000]) {
      const payload = Buffer.alloc(size, 'a');
      const { opcode, payload: back } = unmask(encodeFrame(payload, { isMasked: true }));
      expect(opcode).toBe(Opcode.text);
      expect(back.equals(payload)).toBe(true);
    }
  });
});

describe('FrameReader', () => {
  it('reads several frames from one chunk', () => {
    const { reader, messages } = collect();
    reader.push(
      Buffer.concat([encodeFrame(Buffer.from('one'), { isMasked: false }), encodeFrame(Buffer.from('two'), { isMasked: false })]),
    );
    expect(messages).toEqual([
      [1, false, 'one'],
      [1, false, 'two'],
    ]);
  });

  it('reads a frame split byte by byte across chunks', () => {
    const { reader, messages } = collect();
    const frame = encodeFrame(Buffer.alloc(200, 'x'), { isMasked: false, isCompressed: true });
    for (let i = 0; i < frame.length; i++) reader.push(frame.subarray(i, i + 1));
    expect(messages).toEqual([[1, true, 'x'.repeat(200)]]);
  });

  it('joins a fragmented message and passes control frames through in between', () => {
    const { reader, messages } = collect();
    const first = encodeFrame(Buffer.from('hel'), { isMasked: false });
    first[0] = Opcode.text; // FIN cleared
    const last = encodeFrame(Buffer.from('lo'), { isMasked: false, opcode: Opcode.continuation });
    const ping = encodeFrame(Buffer.from('p'), { isMasked: false, opcode: Opcode.ping });
    reader.push(Buffer.concat([first, ping, last]));
    expect(messages).toEqual([
      [9, false, 'p'],
      [1, false, 'hello'],
    ]);
  });

  it('rejects a masked frame', () => {
    const { reader } = collect();
    expect(() => reader.push(encodeFrame(Buffer.from('x'), { isMasked: true }))).toThrow(/masked/);
  });
});
