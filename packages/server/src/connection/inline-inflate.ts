import { inflateRawSync, constants as zlib } from 'node:zlib';
import type { WebSocket } from 'ws';

/** RFC 7692 §7.2.2: the receiver appends the empty block's trailer the sender dropped. */
const DEFLATE_TRAILER = Buffer.from([0x00, 0x00, 0xff, 0xff]);

type DecompressCallback = (err: Error | null, data?: Buffer) => void;

/** The part of ws's per-connection PerMessageDeflate that the receiver calls for each compressed frame. */
interface PerMessageDeflatePort {
  params: Record<string, unknown>;
  decompress(data: Buffer, fin: boolean, callback: DecompressCallback): void;
  /** Closes the connection's zlib streams (public in ws: it runs when a connection closes). */
  cleanup(): void;
}

/**
 * Inflates a connection's compressed messages on the spot instead of through
 * ws's asynchronous zlib stream.
 *
 * Why: ws inflates each compressed client message on the thread pool, behind
 * a process-wide queue of 10, and parses nothing more from that socket until
 * the result comes back. A publisher whose client compresses (browsers and
 * ws's default client do) then gets one message through per event-loop turn,
 * each with its own flush to every subscriber, and the backlog becomes
 * latency (hundreds of ms at 1,000 messages/s). ws also keeps a zlib stream
 * (about 40 KiB of native memory with its window) per connection once it has
 * inflated one message, idle or not.
 *
 * With `client_no_context_takeover` negotiated every message is a
 * self-contained deflate stream, so a single-frame message is inflated with
 * one synchronous call and no per-connection state. The result goes back to
 * ws's receiver in a microtask (its loop does not accept a synchronous
 * answer), so every message of one socket read is handled in the same turn
 * and their deliveries leave in one flush.
 *
 * Everything else keeps ws's own path and errors: fragmented compressed
 * messages, corrupt data (1007), and output over `maxPayloadBytes` (1009;
 * the synchronous attempt stops at that size too, so a deflate bomb costs at
 * most that much output, twice). A zlib stream ws opened for a fragmented
 * message is closed once the message is complete.
 *
 * This reaches into `ws` internals (`_extensions`, the `decompress` seam the
 * receiver calls); `inline-inflate.test.ts` pins the behaviour, and a ws
 * without that shape is left as it is.
 *
 * @returns whether the connection now inflates inline.
 */
export function installInlineInflate(ws: WebSocket, maxPayloadBytes: number): boolean {
  const extensions = (ws as unknown as { _extensions?: Record<string, unknown> })._extensions;
  const deflate = extensions?.['permessage-deflate'] as PerMessageDeflatePort | undefined;
  if (deflate === undefined || typeof deflate.decompress !== 'function' || typeof deflate.cleanup !== 'function') return false;
  if (deflate.params?.client_no_context_takeover !== true) return false;
  const viaWs = deflate.decompress.bind(deflate);
  let isInWsMessage = false;
  deflate.decompress = (data, fin, callback) => {
    if (!isInWsMessage && fin) {
      const inflated = tryInflate(data, maxPayloadBytes);
      if (inflated !== undefined) {
        queueMicrotask(() => callback(null, inflated));
        return;
      }
    }
    isInWsMessage = !fin;
    viaWs(data, fin, (err, result) => {
      // Free the stream ws opened for this message: the next one most likely takes the inline path.
      if (fin || err) deflate.cleanup();
      callback(err, result);
    });
  };
  return true;
}

/** The inflated message, or undefined when it is corrupt or larger than the limit (ws then reports it). */
function tryInflate(data: Buffer, maxPayloadBytes: number): Buffer | undefined {
  try {
    return inflateRawSync(Buffer.concat([data, DEFLATE_TRAILER]), {
      finishFlush: zlib.Z_SYNC_FLUSH,
      ...(maxPayloadBytes > 0 ? { maxOutputLength: maxPayloadBytes } : {}),
    });
  } catch {
    return undefined;
  }
}
