import { constants, createInflateRaw, inflateRawSync, type InflateRaw } from 'node:zlib';

/** permessage-deflate strips this trailer from every message (RFC 7692 7.2.1). */
const TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/** Decompresses the permessage-deflate messages of one connection, in order. */
export interface Inflater {
  /** Calls `done` with the message; synchronously when the mode allows it. */
  inflate(payload: Buffer, done: (message: Buffer) => void): void;
}

/**
 * Without `server_no_context_takeover` (what browsers offer) each message may
 * refer back to earlier ones, so one zlib stream lives as long as the
 * connection. Node's only streaming inflate is asynchronous; messages are
 * queued so they come out in order.
 */
class StreamInflater implements Inflater {
  readonly #zlib: InflateRaw = createInflateRaw();
  readonly #queue: Array<{ payload: Buffer; done: (message: Buffer) => void }> = [];
  #output: Buffer[] = [];
  #isBusy = false;

  constructor() {
    this.#zlib.on('data', (chunk: Buffer) => this.#output.push(chunk));
    this.#zlib.on('error', () => undefined);
  }

  inflate(payload: Buffer, done: (message: Buffer) => void): void {
    this.#queue.push({ payload: Buffer.from(payload), done });
    if (!this.#isBusy) this.#next();
  }

  #next(): void {
    const item = this.#queue.shift();
    this.#isBusy = item !== undefined;
    if (item === undefined) return;
    this.#zlib.write(item.payload);
    this.#zlib.write(TRAILER);
    this.#zlib.flush(constants.Z_SYNC_FLUSH, () => {
      const message = this.#output.length === 1 ? this.#output[0]! : Buffer.concat(this.#output);
      this.#output = [];
      item.done(message);
      this.#next();
    });
  }
}

/** With `server_no_context_takeover` every message stands alone and inflates synchronously. */
class OneShotInflater implements Inflater {
  inflate(payload: Buffer, done: (message: Buffer) => void): void {
    // The message ends on a sync flush, not a final block, so zlib must not expect an end.
    done(inflateRawSync(Buffer.concat([payload, TRAILER]), { finishFlush: constants.Z_SYNC_FLUSH }));
  }
}

/** Picks the inflater the negotiated extension parameters allow. */
export function createInflater(extensionHeader: string): Inflater {
  return /server_no_context_takeover/i.test(extensionHeader) ? new OneShotInflater() : new StreamInflater();
}
