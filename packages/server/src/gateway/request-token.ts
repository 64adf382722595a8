import type { IncomingMessage } from 'node:http';

/** The bearer token of a request: `Authorization: Bearer`, then `x-api-key`, then `?token=`. */
export function tokenFromRequest(req: IncomingMessage | { headers: IncomingMessage['headers'] }, url?: URL): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string') {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1]!.trim();
  }
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key.length > 0) return key;
  const q = url?.searchParams.get('token');
  return q ? q : undefined;
}
