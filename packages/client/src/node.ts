// The SDK's entry for Node (the `node` export condition): Node 20 has no
// global WebSocket, so the `ws` package (already a dependency) is the
// default there. Browsers and Node 22+ use the `default` entry and their
// global WebSocket. Everything else is the same module.
import WebSocket from 'ws';
import { setDefaultWebSocket, type WebSocketConstructor } from './websocket.js';

setDefaultWebSocket(WebSocket as unknown as WebSocketConstructor);

// The public surface is index.ts's, unchanged: re-exported whole on purpose.
export * from './index.js';
