import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { nowUs } from '../clock.js';
import { createInflater, type Inflater } from './inflater.js';
import { encodeFrame, FrameReader, Opcode } from './ws-frame.js';

/** Where and how to open a WebSocket. */
export interface MiniSocketOptions {
  host: string;
  port: number;
  /** Request path with query, e.g. `/ws`. */
  path: string;
  headers?: Record<string, string>;
  /** Source address, to spread many connections over 127.0.0.x. */
  localAddress?: string;
  /** Offer permessage-deflate the way browsers do. */
  isDeflateOffered?: boolean;
  /** Give up on the handshake after this long, ms. */
  timeoutMs: number;
}

/** What a connection tells its owner. */
export interface MiniSocketHandler {
  /** A text or binary message; `receivedUs` is when its bytes were read. */
  onMessage(payload: Buffer, receivedUs: number): void;
  onClose(code: number): void;
}

const browserDeflateOffer = 'permessage-deflate; client_max_window_bits';

/**
 * A bare WebSocket client over `net`: handshake, a light frame reader, masked
 * text writes, pong replies. Enough for a load generator, nothing more.
 */
export class MiniSocket {
  readonly #socket: Socket;
  readonly #handler: MiniSocketHandler;
  #reader: FrameReader;
  #inflater: Inflater | undefined;
  #receivedUs = 0;
  #isClosed = false;
  #early: Buffer | undefined;

  private constructor(socket: Socket, handler: MiniSocketHandler, extensions: string) {
    this.#socket = socket;
    this.#handler = handler;
    if (/permessage-deflate/i.test(extensions)) this.#inflater = createInflater(extensions);
    this.#reader = new FrameReader((opcode, isCompressed, payload) => this.#onFrame(opcode, isCompressed, payload));
  }

  /** Opens the connection; resolves once the server answered 101. Call {@link start} to read. */
  static open(options: MiniSocketOptions, handler: MiniSocketHandler): Promise<MiniSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: options.host, port: options.port, localAddress: options.localAddress });
      socket.setNoDelay(true);
      let head = Buffer.alloc(0);
      const timer = setTimeout(() => fail(new Error(`handshake timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
      const fail = (error: Error): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      socket.once('error', fail);
      socket.once('connect', () => socket.write(handshakeRequest(options)));
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        clearTimeout(timer);
        const lines = head.toString('latin1', 0, end).split('\r\n');
        if (!/^HTTP\/1\.1 101/.test(lines[0] ?? '')) {
          fail(new Error(`upgrade refused: ${lines[0] ?? 'no status line'}`));
          return;
        }
        const extensions =
          lines
            .find((line) => /^sec-websocket-extensions:/i.test(line))
            ?.split(':')[1]
            ?.trim() ?? '';
        socket.off('error', fail);
        socket.pause();
        const mini = new MiniSocket(socket, handler, extensions);
        mini.#early = Buffer.from(head.subarray(end + 4));
        socket.on('error', () => undefined);
        socket.on('close', () => mini.#closed(1006));
        resolve(mini);
      };
      socket.on('data', onData);
    });
  }

  /** Sends one text message. */
  send(text: string | Buffer): void {
    if (this.#isClosed) return;
    this.#socket.write(encodeFrame(typeof text === 'string' ? Buffer.from(text) : text, { isMasked: true }));
  }

  /** Sends several text messages in one socket write. */
  sendMany(texts: Array<string | Buffer>): void {
    if (this.#isClosed || texts.length === 0) return;
    const frames = texts.map((text) => encodeFrame(typeof text === 'string' ? Buffer.from(text) : text, { isMasked: true }));
    this.#socket.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
  }

  /** Drops the connection without a closing handshake (teardown of many sockets). */
  destroy(): void {
    this.#isClosed = true;
    this.#socket.destroy();
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  /**
   * Starts reading. Bytes that came with the 101 (a server may greet in the
   * same packet) wait until the owner has set up its protocol state.
   */
  start(): void {
    const socket = this.#socket;
    socket.on('data', (chunk: Buffer) => {
      this.#receivedUs = nowUs();
      this.#reader.push(chunk);
    });
    const early = this.#early;
    this.#early = undefined;
    if (early !== undefined && early.length > 0) {
      this.#receivedUs = nowUs();
      this.#reader.push(early);
    }
    socket.resume();
  }

  #onFrame(opcode: number, isCompressed: boolean, payload: Buffer): void {
    if (opcode === Opcode.text || opcode === Opcode.binary) {
      const receivedUs = this.#receivedUs;
      if (isCompressed && this.#inflater !== undefined)
        this.#inflater.inflate(payload, (message) => this.#handler.onMessage(message, receivedUs));
      else this.#handler.onMessage(payload, receivedUs);
    } else if (opcode === Opcode.ping) {
      this.#socket.write(encodeFrame(Buffer.from(payload), { isMasked: true, opcode: Opcode.pong }));
    } else if (opcode === Opcode.close) {
      this.#closed(payload.length >= 2 ? payload.readUInt16BE(0) : 1005);
      this.#socket.destroy();
    }
  }

  #closed(code: number): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#handler.onClose(code);
  }
}

function handshakeRequest(options: MiniSocketOptions): string {
  const lines = [
    `GET ${options.path} HTTP/1.1`,
    `Host: ${options.host}:${options.port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
  ];
  if (options.isDeflateOffered === true) lines.push(`Sec-WebSocket-Extensions: ${browserDeflateOffer}`);
  for (const [name, value] of Object.entries(options.headers ?? {})) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}
