import type { IncomingHttpHeaders } from 'node:http';

/**
 * Reads a CloudEvents 1.0 binary-mode request: attributes in `ce-*`
 * headers, the data in the body. Returns undefined when the request is not
 * in binary mode.
 */
export function fromBinaryMode(headers: IncomingHttpHeaders, body: unknown): Record<string, unknown> | undefined {
  const spec = headers['ce-specversion'];
  if (spec === undefined) return undefined;
  const event: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!name.startsWith('ce-') || typeof value !== 'string') continue;
    event[name.slice(3)] = value;
  }
  const contentType = String(headers['content-type'] ?? '');
  if (Buffer.isBuffer(body)) {
    const text = body.toString('utf8');
    if (/json/i.test(contentType)) {
      try {
        event.data = JSON.parse(text);
      } catch {
        event.data = text;
      }
    } else if (text.length > 0) event.data = text;
  } else if (body !== undefined && body !== null) {
    event.data = body;
  }
  return event;
}
