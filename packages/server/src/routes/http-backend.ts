import { HeraldError } from '../errors/herald-error.js';
import type { ToolChunk } from '../tools/tool.js';
import { MalformedStreamError, decoderFor, itemOf } from './stream-decoders.js';

/** Largest unary reply body read from a backend, bytes; more is `upstream_error`. */
export const MAX_BACKEND_BODY_BYTES = 4 * 1024 * 1024;

export interface BackendRequest {
  /** Who is asked, for messages: `route "summarize"`, `agent "echo"`. */
  label: string;
  url: string;
  body: unknown;
  headers?: Record<string, string>;
  /** Aborting it aborts the request (caller gone, timeout). */
  signal: AbortSignal;
  /** Each chunk of a streamed reply, in order. */
  onChunk(chunk: ToolChunk): void;
}

/** How a backend answered. */
export interface BackendReply {
  /** The JSON body of a unary reply, the `result` of a stream, or undefined when a stream named none. */
  result: unknown;
  isStreamed: boolean;
  /** The text the chunks carried, joined (string contents only). */
  text: string;
  chunks: number;
}

/**
 * POSTs JSON to a backend and reads its reply: one JSON body (unary), or
 * NDJSON / server-sent events relayed chunk by chunk as they arrive. Every
 * failure becomes a HeraldError the caller can show: `upstream_unavailable`
 * (cannot connect), `upstream_error` (non-2xx, garbage, an `error` item).
 * An aborted signal ends the request and rejects with the signal's reason.
 */
export async function callBackend(req: BackendRequest): Promise<BackendReply> {
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/x-ndjson, text/event-stream, application/json', ...req.headers },
      body: JSON.stringify(req.body),
      signal: req.signal,
    });
  } catch (err) {
    if (req.signal.aborted) throw req.signal.reason;
    throw new HeraldError('upstream_unavailable', `${req.label}: cannot reach ${redact(req.url)} (${causeOf(err)})`, {
      url: redact(req.url),
    });
  }
  if (!res.ok) {
    const excerpt = await readText(res, req, 2048).catch(() => '');
    throw new HeraldError(
      'upstream_error',
      `${req.label}: the backend answered HTTP ${res.status}${excerpt ? `: ${excerpt.slice(0, 200)}` : ''}`,
      {
        status: res.status,
      },
    );
  }
  const decoder = decoderFor(res.headers.get('content-type'));
  if (!decoder) return unary(res, req);
  const reply: BackendReply = { result: undefined, isStreamed: true, text: '', chunks: 0 };
  const take = (items: ReturnType<typeof decoder.push>) => {
    for (const item of items) {
      if (item.kind === 'error')
        throw new HeraldError('upstream_error', `${req.label}: the backend reported an error: ${item.message.slice(0, 500)}`);
      if (item.kind === 'result') {
        reply.result = item.result;
        continue;
      }
      reply.chunks++;
      if (typeof item.content === 'string') reply.text += item.content;
      const chunk: ToolChunk = { content: item.content };
      if (item.progress !== undefined) chunk.progress = item.progress;
      if (item.total !== undefined) chunk.total = item.total;
      req.onChunk(chunk);
    }
  };
  try {
    const textDecoder = new TextDecoder();
    for await (const part of bytesOf(res)) take(decoder.push(textDecoder.decode(part, { stream: true })));
    take(decoder.push(textDecoder.decode()));
    take(decoder.end());
  } catch (err) {
    throw streamFailure(err, req);
  }
  return reply;
}

async function unary(res: Response, req: BackendRequest): Promise<BackendReply> {
  let text: string;
  try {
    text = await readText(res, req, MAX_BACKEND_BODY_BYTES);
  } catch (err) {
    throw streamFailure(err, req);
  }
  if (text.trim() === '') return { result: null, isStreamed: false, text: '', chunks: 0 };
  const type = (res.headers.get('content-type') ?? '').toLowerCase();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (type.startsWith('text/plain')) return { result: text, isStreamed: false, text, chunks: 0 };
    throw new HeraldError(
      'upstream_error',
      `${req.label}: the backend's reply is not JSON (content type ${type || 'none'}): ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
  const item = itemOf(value);
  if (item.kind === 'error')
    throw new HeraldError('upstream_error', `${req.label}: the backend reported an error: ${item.message.slice(0, 500)}`);
  return {
    result: value,
    isStreamed: false,
    text: item.kind === 'chunk' && typeof item.content === 'string' ? item.content : '',
    chunks: 0,
  };
}

/** The body as text, at most `maxBytes`. */
async function readText(res: Response, req: BackendRequest, maxBytes: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for await (const part of bytesOf(res)) {
    bytes += part.byteLength;
    if (bytes > maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      throw new HeraldError('upstream_error', `${req.label}: the backend's reply is larger than ${maxBytes} bytes`);
    }
    text += decoder.decode(part, { stream: true });
  }
  return text + decoder.decode();
}

/** The body's byte chunks as they arrive (a reader loop: the DOM typings of ReadableStream lack async iteration). */
async function* bytesOf(res: Response): AsyncGenerator<Uint8Array> {
  if (!res.body) return;
  const reader = res.body.getReader();
  let isDone = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        isDone = true;
        return;
      }
      yield value;
    }
  } finally {
    // Left early (a malformed line, a limit): close the backend's connection instead of leaving it open.
    if (!isDone) await reader.cancel().catch(() => undefined);
  }
}

function streamFailure(err: unknown, req: BackendRequest): unknown {
  if (req.signal.aborted) return req.signal.reason;
  if (err instanceof HeraldError) return err;
  if (err instanceof MalformedStreamError)
    return new HeraldError('upstream_error', `${req.label}: the backend's stream is malformed: ${err.message}`);
  return new HeraldError('upstream_error', `${req.label}: the backend's reply broke off (${causeOf(err)})`);
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
}

/** The URL without credentials or query, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid url)';
  }
}
