/**
 * A complete, unmasked WebSocket frame (header and payload), built once and
 * written as-is to every connection that should receive it. Building the
 * frame once per event, rather than letting `ws` frame the same bytes again
 * for each socket, is what lets fan-out approach the raw `ws` limit.
 */
export type EncodedFrame = Buffer;

const OPCODE_TEXT = 0x01;
const FIN = 0x80;
const RSV1 = 0x40;

/**
 * Frames a payload as one final text frame (server frames are never
 * masked). `isCompressed` sets RSV1 for a permessage-deflate payload.
 */
export function encodeTextFrame(payload: Buffer, isCompressed = false): EncodedFrame {
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

/** Frames a string payload (UTF-8). */
export function encodeTextMessage(text: string): EncodedFrame {
  return encodeTextFrame(Buffer.from(text));
}
