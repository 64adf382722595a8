import { deflateRawSync, constants as zlib } from 'node:zlib';

const OPCODE_TEXT = 0x01;
const FIN = 0x80;
const RSV1 = 0x40;
/** permessage-deflate drops the empty block's trailer from each message (RFC 7692 §7.2.1). */
const DEFLATE_TRAILER = 4;

/**
 * Frames a payload as one final, unmasked text frame (server frames are
 * never masked); `isCompressed` sets RSV1 for a permessage-deflate payload.
 */
export function encodeTextFrame(payload: Buffer, isCompressed = false): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = FIN | OPCODE_TEXT | (isCompressed ? RSV1 : 0);
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    // Payloads here are far below 2^53; the high word is 0 or small.
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/**
 * One message, framed once and written as-is to every connection that
 * should receive it. Building the frame once per event, rather than letting
 * `ws` frame (and compress) the same bytes again for each socket, is what
 * lets fan-out approach the raw `ws` limit. Connections that negotiated
 * permessage-deflate with `server_no_context_takeover` share one compressed
 * variant, made the first time one of them asks for it.
 */
export class OutboundFrame {
  private compressed: Buffer | undefined;

  private constructor(
    private readonly payload: Buffer,
    /** The uncompressed frame, header included. */
    readonly plain: Buffer,
  ) {}

  static fromText(text: string): OutboundFrame {
    const payload = Buffer.from(text);
    return new OutboundFrame(payload, encodeTextFrame(payload));
  }

  /** Bytes of the uncompressed frame. */
  get length(): number {
    return this.plain.length;
  }

  /**
   * The frame for a connection with permessage-deflate: compressed once
   * when the payload is at least `thresholdBytes`, else the plain frame
   * (RFC 7692 lets each message choose; small ones gain nothing).
   */
  forDeflate(thresholdBytes: number): Buffer {
    if (this.payload.length < thresholdBytes) return this.plain;
    if (this.compressed === undefined) {
      const deflated = deflateRawSync(this.payload, { level: 1, finishFlush: zlib.Z_SYNC_FLUSH });
      this.compressed = encodeTextFrame(deflated.subarray(0, deflated.length - DEFLATE_TRAILER), true);
    }
    return this.compressed;
  }
}
