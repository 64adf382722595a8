// Declared as a method so the parameter is checked bivariantly: both the DOM
// WebSocket and `ws` (whose event types are richer) then fit this shape.
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack'];

/**
 * The part of a WebSocket the SDK uses. The browser's `WebSocket`, Node 22's
 * global one and the `ws` package's class all provide it.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: Handler<unknown> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<{ code: number; reason: string }> | null;
  onerror: Handler<unknown> | null;
}

/** A WebSocket class: `globalThis.WebSocket`, or `ws`'s default export in Node 20. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** `readyState` of an open socket, the same in every implementation. */
export const WEBSOCKET_OPEN = 1;

let defaultWebSocket: WebSocketConstructor | undefined;

/** Set by the Node entry (`ws`), used when no constructor is given and the runtime has no global one. */
export function setDefaultWebSocket(constructor: WebSocketConstructor): void {
  defaultWebSocket = constructor;
}

/**
 * The constructor to use: the one given, else the global one, else `ws` on
 * Node. Throws with the fix when none exists.
 */
export function resolveWebSocket(given: WebSocketConstructor | undefined): WebSocketConstructor {
  if (given) return given;
  const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (global) return global;
  if (defaultWebSocket) return defaultWebSocket;
  throw new TypeError(
    "HeraldClient: this runtime has no global WebSocket (Node 20 and older); pass one: new HeraldClient({ url, WebSocket: (await import('ws')).default })",
  );
}
