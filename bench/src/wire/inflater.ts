import { constants, createInflateRaw, inflateRawSync, type InflateRaw } from 'node:zlib';

/** permessage-deflate strips this trailer from every message (RFC 7692 7.2.1). */
const TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/** Decompresses the permessage-deflate messages of one connection, synchronously. */
export interface Inflater {
  inflate(payload: Buffer): Buffer;
}

interface SyncZlib {
  _processChunk(chunk: Buffer, flushFlag: number): Buffer;
}

/**
 * Without `server_no_context_takeover` each message may refer back to the
 * previous ones, so one zlib stream must live as long as the connection. Node
 * offers no public synchronous streaming call; `_processChunk` is what its own
 * `*Sync` helpers use, and staying synchronous keeps the reader a plain loop.
 */
class StreamInflater implements Inflater {
  readonly #zlib: InflateRaw & SyncZlib;
  constructor() {
    this.#zlib = createInflateRaw() as InflateRaw & SyncZlib;
  }
  inflate(payload: Buffer): Buffer {
    return this.#zlib._processChunk(Buffer.concat([payload, TRAILER]), constants.Z_SYNC_FLUSH);
  }
}

/** With `server_no_context_takeover` every message stands alone. */
class OneShotInflater implements Inflater {
  inflate(payload: Buffer): Buffer {
    return inflateRawSync(Buffer.concat([payload, TRAILER]));
  }
}

/** Picks the inflater the negotiated extension parameters allow. */
export function createInflater(extensionHeader: string): Inflater {
  return /server_no_context_takeover/i.test(extensionHeader) ? new OneShotInflater() : new StreamInflater();
}
