import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/** Finds the built dashboard: the workspace's packages/dashboard/dist, or an installed @herald/dashboard. */
export function findDashboardDir(start = dirname(fileURLToPath(import.meta.url))): string | undefined {
  let dir = start;
  for (let i = 0; i < 8; i++) {
    for (const candidate of [join(dir, 'packages', 'dashboard', 'dist'), join(dir, 'node_modules', '@herald', 'dashboard', 'dist')]) {
      if (existsSync(join(candidate, 'index.html'))) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return undefined;
}

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Herald</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>Herald is running</h1><p>The dashboard has not been built. Run <code>npm run build</code> (or <code>npm start</code>, which builds it when missing) and reload.</p>
<p>The API is described at <a href="/docs">/docs</a>; the WebSocket endpoint is <code>/ws</code>.</p></body></html>`;

/** Serves the dashboard's static files at `/` with strict security headers. */
export async function registerDashboardRoutes(app: FastifyInstance, dir: string | undefined): Promise<void> {
  const setHeaders = (reply: { header(k: string, v: string): unknown }) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
  };
  if (!dir) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) => {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
      return reply.type('text/html').send(NOT_BUILT);
    });
    return;
  }
  // The files hold no data and the token stays in the URL fragment: public.
  await app.register(fastifyStatic, { root: dir, prefix: '/', setHeaders, index: ['index.html'], wildcard: false });
}
