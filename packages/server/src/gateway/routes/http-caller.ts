import type { FastifyReply, FastifyRequest } from 'fastify';
import { HeraldError } from '../../errors/herald-error.js';
import type { CallRunner } from '../../tools/call-runner.js';
import type { Caller } from '../../tools/tool.js';
import type { ToolRegistry } from '../../tools/tool-registry.js';
import { identityOf } from '../http-app.js';

/** An HTTP request as a tool sees its caller: the token's identity and org, the `x-correlation-id` header. */
export function httpCaller(req: FastifyRequest): Caller {
  const identity = identityOf(req);
  const caller: Caller = { identity, org: identity.org };
  const header = req.headers['x-correlation-id'];
  const correlationId = Array.isArray(header) ? header[0] : header;
  if (correlationId) caller.correlationId = correlationId.slice(0, 128);
  return caller;
}

/**
 * An AbortSignal aborted when the HTTP client goes away before the answer
 * was sent: the response closes without having finished.
 */
export function signalOfReply(reply: FastifyReply): AbortSignal {
  const res = reply.raw;
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort('caller_gone');
  });
  return controller.signal;
}

/** Runs a registered tool for an HTTP caller with the socket's rules (permission, timeout) and answers its result. */
export async function runToolOverHttp(
  calls: CallRunner,
  tools: ToolRegistry,
  req: FastifyRequest,
  reply: FastifyReply,
  name: string,
  params: unknown,
): Promise<unknown> {
  const tool = tools.get(name);
  if (!tool) throw new HeraldError('unknown_tool', `this server does not offer "${name}"`);
  const outcome = await calls.execute(httpCaller(req), tool, params, { signal: signalOfReply(reply) });
  return outcome.result;
}
