import type { DialectSpec, Role, SessionEvents } from '../dialects/dialect.js';
import { dialectFor } from '../dialects/dialects.js';
import type { ClientKind, ClientSocket } from '../wire/client-socket.js';
import { MiniSocket } from '../wire/mini-socket.js';
import { WsLibrarySocket } from '../wire/ws-library-socket.js';

/** How a batch of connections is opened. */
export interface ConnectOptions {
  spec: DialectSpec;
  /** Source address (127.0.0.x) for every connection of this batch. */
  localAddress?: string;
  /** Minimal client only: offer permessage-deflate (the `ws` client always does). */
  isDeflateOffered: boolean;
  /** The bench's minimal client (default) or the `ws` library's client at its defaults. */
  client?: ClientKind;
  /** Per connection: handshake plus subscription, ms. */
  timeoutMs: number;
}

/** Session callbacks minus `onReady`, which {@link openSession} owns. */
export type SessionListener = Omit<SessionEvents, 'onReady'> & { onClose(code: number): void };

/**
 * Opens one connection and starts its dialect; resolves once the session is
 * ready (subscribed), rejects on timeout, refusal or an early close.
 */
export function openSession(options: ConnectOptions, role: Role, listener: SessionListener): Promise<ClientSocket> {
  const dialect = dialectFor(options.spec);
  return new Promise((resolve, reject) => {
    let isSettled = false;
    let socket: ClientSocket | undefined;
    const timer = setTimeout(() => settle(new Error(`not ready after ${options.timeoutMs} ms`)), options.timeoutMs);
    const settle = (error?: Error): void => {
      if (isSettled) return;
      isSettled = true;
      clearTimeout(timer);
      if (error === undefined && socket !== undefined) resolve(socket);
      else {
        socket?.destroy();
        reject(error ?? new Error('closed'));
      }
    };
    let onMessage: (payload: Buffer, receivedUs: number) => void = () => undefined;
    const opener = options.client === 'ws-default' ? WsLibrarySocket.open : MiniSocket.open;
    opener(
      {
        host: options.spec.host,
        port: options.spec.port,
        path: dialect.path(role),
        headers: dialect.headers(),
        localAddress: options.localAddress,
        isDeflateOffered: options.isDeflateOffered,
        timeoutMs: options.timeoutMs,
      },
      {
        onMessage: (payload, receivedUs) => onMessage(payload, receivedUs),
        onClose(code) {
          settle(new Error(`closed with ${code} before ready`));
          listener.onClose(code);
        },
      },
    ).then(
      (opened) => {
        socket = opened;
        const session = dialect.open((frame) => opened.send(frame), role, {
          ...listener,
          onReady: () => settle(),
          onError(text) {
            listener.onError(text);
            if (!isSettled && role.since === undefined) settle(new Error(text));
          },
        });
        onMessage = (payload, receivedUs) => session.onMessage(payload, receivedUs);
        opened.start();
      },
      (error: Error) => settle(error),
    );
  });
}

/** Runs `task` over `items` with at most `limit` in flight; collects failures instead of throwing. */
export async function forEachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<Error[]> {
  const failures: Error[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      try {
        await task(item);
      } catch (error) {
        failures.push(error as Error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return failures;
}
