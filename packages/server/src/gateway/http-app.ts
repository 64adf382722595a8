import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { type ErrorCode, httpStatusFor } from '@herald/protocol';
import type { AuthResult } from '../auth/authenticator.js';
import type { Identity } from '../auth/identity.js';
import { HeraldError } from '../errors/herald-error.js';
import type { Logger } from '../logging/create-logger.js';
import { tokenFromRequest } from './request-token.js';

declare module 'fastify' {
  interface FastifyRequest {
    identity?: Identity;
  }
}

export interface HttpAppOptions {
  logger: Logger;
  version: string;
  bodyLimitBytes: number;
  corsOrigins: readonly string[];
  authenticate(token: string): Promise<AuthResult>;
}

/** The error body every HTTP error uses. */
export function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: Record<string, unknown>): FastifyReply {
  const body: { error: Record<string, unknown> } = { error: { code, message } };
  if (details) body.error.details = details;
  return reply.code(httpStatusFor(code)).send(body);
}

/** Maps Fastify's own errors (bad JSON, too large, wrong type) to Herald's codes. */
function translateFrameworkError(err: { code?: string; statusCode?: number; message: string }): { code: ErrorCode; message: string } | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'invalid_json', message: `the body is not valid JSON: ${err.message}` };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'payload_too_large', message: 'the body is larger than the configured maximum (limits.maxPayloadBytes for one event, 1 MiB for batches)' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'unsupported_media_type', message: 'send application/json, application/cloudevents+json or a CloudEvents binary-mode request' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'invalid_params', message: 'Content-Length does not match the body' };
    default:
      if (err instanceof SyntaxError) return { code: 'invalid_json', message: `the body is not valid JSON: ${err.message}` };
      return undefined;
  }
}

/**
 * Builds the Fastify app: JSON error bodies, bearer-token auth on every
 * route but the public ones, CORS, and OpenAPI docs at /docs and
 * /openapi.json. Routes validate with the protocol's zod schemas; the JSON
 * schemas attached to routes are documentation only.
 */
export async function buildHttpApp(options: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Per-request lines are logged at debug by our own onResponse hook.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    bodyLimit: options.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => `r_${Math.random().toString(36).slice(2, 10)}`,
    ajv: { customOptions: { strict: false } },
  });
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  for (const type of ['application/cloudevents+json', 'application/cloudevents-batch+json']) {
    app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch (err) {
        done(err as Error, undefined);
      }
    });
  }
  // CloudEvents binary mode carries the data in any media type.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  await app.register(cors, {
    origin: options.corsOrigins.includes('*') ? true : options.corsOrigins.length > 0 ? [...options.corsOrigins] : false,
    credentials: false,
    allowedHeaders: ['authorization', 'content-type', 'x-api-key', 'x-request-id', 'x-correlation-id'],
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Herald HTTP API',
        version: options.version,
        description: 'Publish events, query history and stats, and read metrics. The WebSocket protocol is described in docs/protocol.md.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const queryAt = req.url.indexOf('?');
    const path = queryAt === -1 ? req.url : req.url.slice(0, queryAt);
    if (!needsToken(path) || req.method === 'OPTIONS') return;
    // Headers first; the query string is parsed only when it may carry the token.
    const token = tokenFromRequest(req.raw) ?? (queryAt === -1 ? undefined : tokenFromRequest(req.raw, new URL(req.url, 'http://localhost')));
    if (token === undefined) {
      return sendError(reply, 'unauthorized', 'a token is required: send Authorization: Bearer <token> (the admin token is in <data dir>/admin-token)');
    }
    const r = await options.authenticate(token);
    if (!r.ok) return sendError(reply, r.code, r.message);
    req.identity = r.identity;
  });

  app.addHook('onResponse', async (req, reply) => {
    // Skip building the line when debug is off: this runs for every request.
    if (!(req.log as unknown as { isLevelEnabled(level: string): boolean }).isLevelEnabled('debug')) return;
    req.log.debug({ req: { method: req.method, url: redactQueryToken(req.url) }, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof HeraldError) {
      // rate_limited, store_unavailable and bus_unavailable say when to come back; HTTP clients read it from Retry-After.
      const retryAfterMs = err.details?.retry_after_ms;
      if (typeof retryAfterMs === 'number') reply.header('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
      return sendError(reply, err.code, err.message, err.details);
    }
    const known = translateFrameworkError(err);
    if (known) return sendError(reply, known.code, known.message);
    if (err.statusCode && err.statusCode < 500) return sendError(reply, 'invalid_params', err.message);
    req.log.error({ err }, 'unexpected error');
    return sendError(reply, 'internal_error', 'unexpected server error; the request had no acknowledged effect');
  });

  app.setNotFoundHandler((req, reply) =>
    sendError(reply, 'not_found', `no route ${req.method} ${req.url.split('?')[0]}; see /docs for the API`),
  );

  return app;
}

/** A URL fit for a log: the `token` query parameter's value is replaced. */
export function redactQueryToken(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

/** The API, metrics and the MCP endpoint need a token; health, docs and the dashboard's files do not. */
function needsToken(path: string): boolean {
  return path.startsWith('/api/') || path === '/api' || path === '/metrics' || path === '/mcp';
}

/** The identity the auth hook attached; routes behind it always have one. */
export function identityOf(req: FastifyRequest): Identity {
  if (!req.identity) throw new HeraldError('unauthorized', 'a token is required');
  return req.identity;
}
