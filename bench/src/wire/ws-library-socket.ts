import WebSocket from 'ws';
import { nowUs } from '../clock.js';
import type { ClientSocket } from './client-socket.js';
import type { MiniSocketHandler, MiniSocketOptions } from './mini-socket.js';

/**
 * A connection through the `ws` library's client with its default options,
 * as an application would open one: it offers permessage-deflate, inflates
 * what the server compresses, and compresses what it sends by ws's own rules
 * (every message while context takeover is allowed; from 1 KiB when the
 * server negotiates `client_no_context_takeover`). Costs the generator more
 * CPU per message than {@link MiniSocket}; the tables' gen CPU column shows it.
 */
export class WsLibrarySocket implements ClientSocket {
  readonly #ws: WebSocket;
  readonly #handler: MiniSocketHandler;
  #early: Array<{ payload: Buffer; receivedUs: number }> | undefined = [];
  #isClosed = false;

  private constructor(ws: WebSocket, handler: MiniSocketHandler) {
    this.#ws = ws;
    this.#handler = handler;
    ws.on('message', (data: Buffer) => {
      const receivedUs = nowUs();
      if (this.#early !== undefined) this.#early.push({ payload: data, receivedUs });
      else handler.onMessage(data, receivedUs);
    });
    ws.on('close', (code: number) => {
      if (this.#isClosed) return;
      this.#isClosed = true;
      handler.onClose(code);
    });
  }

  /** Opens the connection; resolves once open. Call {@link start} to receive. */
  static open(options: MiniSocketOptions, handler: MiniSocketHandler): Promise<WsLibrarySocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${options.host}:${options.port}${options.path}`, {
        headers: options.headers,
        localAddress: options.localAddress,
        handshakeTimeout: options.timeoutMs,
      });
      const socket = new WsLibrarySocket(ws, handler);
      ws.once('open', () => resolve(socket));
      ws.on('error', (error) => {
        if (ws.readyState !== WebSocket.OPEN) reject(error);
      });
    });
  }

  send(text: string | Buffer): void {
    if (!this.#isClosed) this.#ws.send(text);
  }

  /** ws frames each message on its own: one send per message. */
  sendMany(texts: Array<string | Buffer>): void {
    for (const text of texts) this.send(text);
  }

  destroy(): void {
    this.#isClosed = true;
    this.#ws.terminate();
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  start(): void {
    const early = this.#early ?? [];
    this.#early = undefined;
    for (const { payload, receivedUs } of early) this.#handler.onMessage(payload, receivedUs);
  }
}
