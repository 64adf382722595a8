import type { WebSocketConstructor, WebSocketLike } from '../../src/websocket.js';

type Frame = { action: string; id?: number; [key: string]: unknown };
type Handler = ((event: never) => void) | null;

/**
 * An in-memory stand-in for a WebSocket server: every socket a client opens
 * lands in `sockets`, and the test plays the server's side on it.
 */
export class FakeServer {
  readonly sockets: FakeSocket[] = [];
  readonly WebSocket: WebSocketConstructor;

  constructor() {
    const server = this;
    this.WebSocket = class extends FakeSocket {
      constructor(url: string) {
        super(url);
        server.sockets.push(this);
      }
    };
  }

  get last(): FakeSocket {
    const socket = this.sockets.at(-1);
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }
}

export class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: Frame[] = [];
  closedByClient: { code?: number; reason?: string } | undefined;
  onopen: Handler = null;
  onmessage: Handler = null;
  onclose: Handler = null;
  onerror: Handler = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Frame);
  }

  close(code?: number, reason?: string): void {
    this.closedByClient = { code, reason };
    this.readyState = 3;
  }

  /** Server side: accept the socket and welcome the client. */
  welcome(seq = 0): void {
    this.readyState = 1;
    (this.onopen as ((e: unknown) => void) | null)?.({});
    this.push({
      type: 'connected',
      client_id: 'c_1',
      session_id: 's_1',
      user: { id: 'alice' },
      server: { name: 'herald', version: '0.1.0' },
      heartbeat_s: 25,
      seq,
    });
  }

  /** Server side: send a frame. */
  push(message: object): void {
    (this.onmessage as ((e: { data: unknown }) => void) | null)?.({ data: JSON.stringify(message) });
  }

  /** Server side: answer the frame. */
  reply(frame: Frame, message: object): void {
    this.push({ ...message, id: frame.id });
  }

  /** Server side: end the connection. */
  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    (this.onclose as ((e: { code: number; reason: string }) => void) | null)?.({ code, reason });
  }

  frames(action: string): Frame[] {
    return this.sent.filter((f) => f.action === action);
  }

  lastFrame(action: string): Frame {
    const frame = this.frames(action).at(-1);
    if (!frame) throw new Error(`no "${action}" frame was sent; sent: ${JSON.stringify(this.sent)}`);
    return frame;
  }

  /** Server side: confirm every subscribe frame sent so far. */
  confirmSubscriptions(): void {
    for (const f of this.frames('subscribe')) {
      this.reply(f, { type: 'subscribed', subscription_id: f.subscription_id, event_types: f.event_types, filters: f.filters ?? {} });
    }
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
      source: 'fake',
      time: '2026-01-01T00:00:00.000Z',
      severity: 'info',
      priority: 'normal',
      data: { n: seq },
    },
    ...extra,
  };
}
