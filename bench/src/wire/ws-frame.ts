import { randomBytes } from 'node:crypto';

/** WebSocket opcodes (RFC 6455 section 5.2). */
export const Opcode = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** Options for {@link encodeFrame}. */
export interface EncodeOptions {
  /** Clients must mask (RFC 6455 5.3); servers must not. */
  isMasked: boolean;
  /** Set for a permessage-deflate compressed message. */
  isCompressed?: boolean;
  /** Defaults to text. */
  opcode?: number;
}

/** One complete, unfragmented frame: header, optional mask key, payload. */
export function encodeFrame(payload: Buffer, options: EncodeOptions): Buffer {
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const maskBytes = options.isMasked ? 4 : 0;
  const headerBytes = 2 + lengthBytes + maskBytes;
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = 0x80 | (options.isCompressed === true ? 0x40 : 0) | (options.opcode ?? Opcode.text);
  const maskBit = options.isMasked ? 0x80 : 0;
  if (lengthBytes === 0) {
    frame[1] = maskBit | length;
  } else if (lengthBytes === 2) {
    frame[1] = maskBit | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = maskBit | 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  if (!options.isMasked) {
    payload.copy(frame, headerBytes);
    return frame;
  }
  const key = randomBytes(4);
  key.copy(frame, 2 + lengthBytes);
  for (let i = 0; i < length; i++) frame[headerBytes + i] = payload[i]! ^ key[i & 3]!;
  return frame;
}

/** Called once per complete message; `payload` is only valid during the call. */
export type FrameHandler = (opcode: number, isCompressed: boolean, payload: Buffer) => void;

/**
 * Incremental reader of server-to-client frames (unmasked). Kept minimal on
 * purpose: the load generator must read a million frames a second on one
 * core, which `ws`'s stream-based receiver cannot do beside a busy server.
 * Fragmented messages are joined; control frames are delivered as they come.
 */
export class FrameReader {
  #pending: Buffer | undefined;
  #fragments: Buffer[] = [];
  #fragmentOpcode = 0;
  #fragmentCompressed = false;

  constructor(private readonly onMessage: FrameHandler) {}

  /** Feeds bytes read from the socket. Throws on a masked or oversized frame. */
  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.#pending !== undefined) {
      buf = Buffer.concat([this.#pending, chunk]);
      this.#pending = undefined;
    }
    let offset = 0;
    const end = buf.length;
    while (end - offset >= 2) {
      const b0 = buf[offset]!;
      const b1 = buf[offset + 1]!;
      if ((b1 & 0x80) !== 0) throw new Error('server sent a masked frame');
      let length = b1 & 0x7f;
      let header = 2;
      if (length === 126) {
        if (end - offset < 4) break;
        length = buf.readUInt16BE(offset + 2);
        header = 4;
      } else if (length === 127) {
        if (end - offset < 10) break;
        if (buf.readUInt32BE(offset + 2) !== 0) throw new Error('frame larger than 4 GiB');
        length = buf.readUInt32BE(offset + 6);
        header = 10;
      }
      if (end - offset < header + length) break;
      const payload = buf.subarray(offset + header, offset + header + length);
      offset += header + length;
      this.#frame((b0 & 0x80) !== 0, (b0 & 0x40) !== 0, b0 & 0x0f, payload);
    }
    if (offset < end) this.#pending = Buffer.from(buf.subarray(offset));
  }

  #frame(isFinal: boolean, isCompressed: boolean, opcode: number, payload: Buffer): void {
    if (opcode >= 8) {
      this.onMessage(opcode, false, payload);
      return;
    }
    if (opcode !== Opcode.continuation && isFinal) {
      this.onMessage(opcode, isCompressed, payload);
      return;
    }
    if (opcode !== Opcode.continuation) {
      this.#fragmentOpcode = opcode;
      this.#fragmentCompressed = isCompressed;
    }
    this.#fragments.push(Buffer.from(payload));
    if (!isFinal) return;
    const whole = Buffer.concat(this.#fragments);
    this.#fragments = [];
    this.onMessage(this.#fragmentOpcode, this.#fragmentCompressed, whole);
  }
}
