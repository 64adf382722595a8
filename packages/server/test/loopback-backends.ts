import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a backend received: path and JSON body. */
export interface Received {
  path: string;
  body: Record<string, unknown>;
}

/** Real HTTP backends on 127.0.0.1 for route and agent tests; each path answers in one way. */
export interface LoopbackBackends {
  url: string;
  received: Received[];
  /** Requests whose client went away before the answer ended, by path. */
  aborted: string[];
  /** Resolves when a request to `path` arrives (already or later). */
  waitForRequest(path: string, pred?: (r: Received) => boolean): Promise<Received>;
  /** Resolves when a request to `path` was aborted by its client. */
  waitForAbort(path: string): Promise<void>;
  close(): Promise<void>;
}

const words = (text: string) => text.split(/(?<= )/);

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => {
      try {
        resolve(JSON.parse(text || '{}') as Record<string, unknown>);
      } catch {
        resolve({ unparsable: text });
      }
    });
  });
}

/**
 * Paths:
 * - `/ndjson`, `/sse`: stream `echo: <message>` word by word, then a result line / event
 * - `/unary`: one JSON body `{ok: true, got: <body>}`
 * - `/text-garbage`: a JSON content type with a body that is not JSON
 * - `/ndjson-garbage`: one good NDJSON line, then one that is not JSON
 * - `/fail`: HTTP 500 with a message
 * - `/stream-error`: one chunk, then an `{"error":…}` line
 * - `/slow`: headers, one chunk, then nothing until the client goes away
 * - `/agent`: an agent backend: NDJSON `{content}` words of `echo: <message>`; `session_end` answered 204
 * - `/connect`: 200, or 403 when the actor is `blocked-user`
 * - `/disconnect`, `/default`: 200 with the body echoed
 */
export async function startLoopbackBackends(): Promise<LoopbackBackends> {
  const received: Received[] = [];
  const aborted: string[] = [];
  const waiters: Array<() => void> = [];
  const notify = () => waiters.splice(0).forEach((w) => w());
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const body = await readJson(req);
    received.push({ path, body });
    res.on('close', () => {
      if (!res.writableFinished) {
        aborted.push(path);
        notify();
      }
    });
    notify();
    const message = typeof body.message === 'string' ? body.message : '';
    switch (path) {
      case '/ndjson':
      case '/agent': {
        if (body.type === 'session_end') return void res.writeHead(204).end();
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        for (const w of words(`echo: ${message}`)) res.write(`${JSON.stringify({ content: w })}\n`);
        if (path === '/ndjson') res.write(`${JSON.stringify({ result: { words: words(message).length } })}\n`);
        return void res.end();
      }
      case '/sse':
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const w of words(`echo: ${message}`)) res.write(`data: ${JSON.stringify({ content: w })}\n\n`);
        res.write('event: result\ndata: {"done":true}\n\n');
        return void res.end();
      case '/unary':
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, got: body }));
      case '/text-garbage':
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>oops</html>');
      case '/ndjson-garbage':
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        return void res.end('{"content":"fine"}\nthis is not json\n');
      case '/fail':
        return void res.writeHead(500, { 'content-type': 'text/plain' }).end('database down');
      case '/stream-error':
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        return void res.end('{"content":"partial"}\n{"error":"model overloaded"}\n');
      case '/slow':
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write('{"content":"thinking"}\n');
        return; // never ends: the client must abort
      case '/connect':
        return void res
          .writeHead(body.actor_id === 'blocked-user' ? 403 : 200)
          .end(body.actor_id === 'blocked-user' ? 'not on the list' : 'ok');
      default:
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path, body }));
    }
  };
  const server: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const until = (check: () => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 5_000);
      const tryNow = () => {
        if (check()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(tryNow);
      };
      tryNow();
    });
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    aborted,
    async waitForRequest(path, pred = () => true) {
      await until(() => received.some((r) => r.path === path && pred(r)), `a request to ${path}`);
      return received.find((r) => r.path === path && pred(r))!;
    },
    waitForAbort: (path) => until(() => aborted.includes(path), `an aborted request to ${path}`),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
