import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** A frame as the client sent it, parsed from JSON. */
export type ReceivedFrame = { action: string; id?: number; [key: string]: unknown };

/** How a connection ended, as the server side saw it. */
export interface ConnectionEnd {
  code: number;
  reason: string;
  /** True when the test closed or cut it from the server side. */
  isByServer: boolean;
}

/** Longest a test waits for a connection or a frame, in ms; well under the unit project's 30 s test timeout. */
const WAIT_MS = 5_000;

/** Re-checks its waiters on every `notify()`, so tests wait for socket traffic instead of sleeping. */
class Changes {
  readonly #waiters = new Set<() => void>();

  notify(): void {
    for (const check of [...this.#waiters]) check();
  }

  /** Resolves with the first defined value `read` returns; rejects naming `what` after {@link WAIT_MS}. */
  until<T>(what: string, read: () => T | undefined): Promise<T> {
    const now = read();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        const value = read();
        if (value === undefined) return;
        stop();
        resolve(value);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`));
      }, WAIT_MS);
      const stop = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
    });
  }
}

/**
 * A real WebSocket peer on 127.0.0.1 that a test scripts frame by frame. It
 * sends nothing on its own, not even the welcome, so a test can withhold any
 * reply, send frames the real server never would, and end a connection with
 * a chosen close code at a chosen moment.
 *
 * @example
 * ```ts
 * const peer = await ScriptedServer.start();
 * const client = new HeraldClient({ url: peer.url, WebSocket });
 * const conn = await peer.connection(0);
 * conn.welcome();
 * conn.close(4001, 'slow consumer');
 * ```
 */
export class ScriptedServer {
  /** Accepted connections, in the order they arrived. */
  readonly connections: ScriptedConnection[] = [];
  readonly #http: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #changes = new Changes();
  #refusalsLeft = 0;
  #refusedCount = 0;

  private constructor(http: Server) {
    this.#http = http;
    http.on('connection', (socket) => {
      if (this.#refusalsLeft === 0) return;
      this.#refusalsLeft--;
      this.#refusedCount++;
      // Cut before the handshake: the client sees a network failure (1006), as with an unreachable server.
      socket.destroy();
      this.#changes.notify();
    });
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.#wss.handleUpgrade(request, socket, head, (ws) => {
        this.connections.push(new ScriptedConnection(ws, request.url ?? ''));
        this.#changes.notify();
      });
    });
  }

  /** Listens on 127.0.0.1, port 0. */
  static async start(): Promise<ScriptedServer> {
    const http = createServer((_req, res) => res.writeHead(426).end());
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    return new ScriptedServer(http);
  }

  /** `ws://127.0.0.1:<port>/ws`, the URL to give the client. */
  get url(): string {
    const address = this.#http.address();
    if (!address || typeof address === 'string') throw new Error('the scripted server is not listening');
    return `ws://127.0.0.1:${address.port}/ws`;
  }

  /** Connections cut by {@link refuse}. */
  get refusedCount(): number {
    return this.#refusedCount;
  }

  /** Cuts the next `count` connections as they arrive (all of them by default), as an unreachable server would. */
  refuse(count = Infinity): void {
    this.#refusalsLeft = count;
  }

  /** Waits for the accepted connection number `index`, counting from 0. */
  connection(index: number): Promise<ScriptedConnection> {
    return this.#changes.until(`connection ${index} (have ${this.connections.length})`, () => this.connections[index]);
  }

  /** Welcomes connection number `index` with `seq` and waits until `client` is open on it. */
  async openSession(index: number, client: { ready(): Promise<void> }, seq = 0): Promise<ScriptedConnection> {
    const connection = await this.connection(index);
    connection.welcome(seq);
    await client.ready();
    return connection;
  }

  /** Cuts every connection and stops listening. */
  async close(): Promise<void> {
    for (const connection of this.connections) connection.terminate();
    this.#wss.close();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }
}

/** The server's side of one accepted WebSocket: what the client sent, and the means to answer. */
export class ScriptedConnection {
  /** Every frame the client sent, in order. */
  readonly received: ReceivedFrame[] = [];
  /** Resolves when the connection ends, from either side. */
  readonly closed: Promise<ConnectionEnd>;
  readonly #socket: WebSocket;
  readonly #changes = new Changes();
  #isEndedByServer = false;

  /** `path` is the request target the client dialled, query included: `/ws?token=…`. */
  constructor(
    socket: WebSocket,
    readonly path: string,
  ) {
    this.#socket = socket;
    // A protocol error from the client surfaces as 'close'; without a listener ws would throw it.
    socket.on('error', () => {});
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      this.received.push(parseFrame(text));
      this.#changes.notify();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString(), isByServer: this.#isEndedByServer }));
    });
  }

  /** The frames with this action received so far. */
  frames(action: string): ReceivedFrame[] {
    return this.received.filter((frame) => frame.action === action);
  }

  /** Waits for frame number `index` (from 0) with this action. */
  frame(action: string, index = 0): Promise<ReceivedFrame> {
    return this.#changes.until(`"${action}" frame ${index}; received ${JSON.stringify(this.received)}`, () => this.frames(action)[index]);
  }

  /** Sends a frame: an object as JSON, a string as it is (for malformed frames). */
  send(message: object | string): void {
    this.#socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Answers `frame` with `message`, under the frame's id. */
  reply(frame: ReceivedFrame, message: object): void {
    this.send({ ...message, id: frame.id });
  }

  /** Sends the `connected` message that opens the session, announcing `seq` as the latest. */
  welcome(seq = 0): void {
    this.send({
      type: 'connected',
      client_id: 'c_1',
      session_id: 's_1',
      user: { id: 'alice' },
      server: { name: 'herald', version: '0.1.0' },
      heartbeat_s: 25,
      seq,
    });
  }

  /** Waits for subscribe frame number `index` and confirms it as the server would. */
  async confirmSubscribe(index = 0): Promise<ReceivedFrame> {
    const frame = await this.frame('subscribe', index);
    this.reply(frame, {
      type: 'subscribed',
      subscription_id: frame.subscription_id,
      event_types: frame.event_types,
      filters: frame.filters ?? {},
    });
    return frame;
  }

  /**
   * Pings through `client` and answers. Once it resolves, the client has
   * handled every frame sent before it, and this side holds every frame the
   * client sent before the ping: a barrier for asserting that something did
   * not happen.
   */
  async roundTrip(client: { ping(): Promise<unknown> }): Promise<void> {
    const index = this.frames('ping').length;
    const pong = client.ping();
    this.reply(await this.frame('ping', index), { type: 'pong', server_time: '2026-01-01T00:00:00.000Z' });
    await pong;
  }

  /**
   * Closes with `code` and `reason`. 1006 may not travel in a close frame
   * (RFC 6455, section 7.4.1): it means the connection was cut, so it cuts.
   */
  close(code: number, reason = ''): void {
    if (code === 1006) return this.terminate();
    this.#isEndedByServer = true;
    this.#socket.close(code, reason);
  }

  /** Cuts the connection without a close handshake; the client sees 1006. */
  terminate(): void {
    this.#isEndedByServer = true;
    this.#socket.terminate();
  }
}

/** An event as the server delivers it. */
export function eventFrame(seq: number, subscriptions: string[], extra: object = {}): object {
  return {
    type: 'event',
    subscriptions,
    event: {
      id: `e${seq}`,
      seq,
      type: 'test.event',
      category: 'test',
      source: 'scripted',
      time: '2026-01-01T00:00:00.000Z',
      severity: 'info',
      priority: 'normal',
      data: { n: seq },
    },
    ...extra,
  };
}

function parseFrame(text: string): ReceivedFrame {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && typeof (value as { action?: unknown }).action === 'string') return value as ReceivedFrame;
  } catch {
    // Recorded below, so a test that expects a well-formed frame fails with what arrived.
  }
  return { action: '', raw: text };
}
