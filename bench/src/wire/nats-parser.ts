/** What the NATS text protocol reader reports. */
export interface NatsHandler {
  /** A MSG; `payload` is only valid during the call. */
  onMsg(payload: Buffer): void;
  onPing(): void;
  onPong(): void;
  onError(text: string): void;
}

const CRLF = Buffer.from('\r\n');

/**
 * Reader of the server side of the NATS client protocol (INFO, MSG, PING,
 * PONG, +OK, -ERR). Over WebSocket the protocol is a byte stream: one frame
 * may hold many messages and a message may span frames, so bytes are buffered
 * until a whole message is in.
 */
export class NatsParser {
  #pending: Buffer | undefined;

  constructor(private readonly handler: NatsHandler) {}

  push(chunk: Buffer): void {
    let buf = chunk;
    if (this.#pending !== undefined) {
      buf = Buffer.concat([this.#pending, chunk]);
      this.#pending = undefined;
    }
    let offset = 0;
    while (offset < buf.length) {
      const eol = buf.indexOf(CRLF, offset);
      if (eol < 0) break;
      const c0 = buf[offset];
      if (c0 === 0x4d /* M */) {
        const line = buf.toString('latin1', offset, eol);
        const size = Number(line.slice(line.lastIndexOf(' ') + 1));
        const end = eol + 2 + size;
        if (end + 2 > buf.length) break;
        this.handler.onMsg(buf.subarray(eol + 2, end));
        offset = end + 2;
        continue;
      }
      const line = buf.toString('latin1', offset, eol);
      offset = eol + 2;
      if (line === 'PING') this.handler.onPing();
      else if (line === 'PONG') this.handler.onPong();
      else if (line.startsWith('-ERR')) this.handler.onError(line);
    }
    if (offset < buf.length) this.#pending = Buffer.from(buf.subarray(offset));
  }
}
