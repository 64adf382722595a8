import type { IncomingMessage } from 'node:http';

/**
 * Cross-site WebSocket hijacking defence: a browser always sends `Origin`;
 * it must be same-origin or listed. Non-browser clients send none and pass.
 */
export function isOriginAllowed(req: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
