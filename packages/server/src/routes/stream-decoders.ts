/** One thing a streamed backend reply says: a piece of content, the final result, or a failure. */
export type BackendItem =
  | { kind: 'chunk'; content: unknown; progress?: number; total?: number }
  | { kind: 'result'; result: unknown }
  | { kind: 'error'; message: string };

/** Text in, items out; `end` flushes what a last unterminated line held. */
export interface StreamDecoder {
  push(text: string): BackendItem[];
  end(): BackendItem[];
}

/** Thrown for a reply that breaks its own format; the caller answers `upstream_error`. */
export class MalformedStreamError extends Error {}

/**
 * Reads one JSON object of a stream: `{"content":…}` is a chunk (with
 * `progress`/`total` when given), `{"result":…}` the final answer,
 * `{"error":…}` a failure; anything else is a chunk carrying the whole object.
 */
export function itemOf(value: unknown): BackendItem {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if ('error' in o && o.error !== null && o.error !== undefined) {
      const e = o.error as { message?: unknown } | string;
      return { kind: 'error', message: typeof e === 'string' ? e : typeof e.message === 'string' ? e.message : JSON.stringify(e) };
    }
    if ('content' in o) {
      const item: BackendItem = { kind: 'chunk', content: o.content };
      if (typeof o.progress === 'number') item.progress = o.progress;
      if (typeof o.total === 'number') item.total = o.total;
      return item;
    }
    if ('result' in o) return { kind: 'result', result: o.result };
  }
  return { kind: 'chunk', content: value };
}

/** Longest line or event kept while waiting for its end, characters: a backend cannot make us buffer forever. */
export const MAX_STREAM_LINE_CHARS = 1024 * 1024;

/** `application/x-ndjson`: one JSON value per line; blank lines are skipped. */
export class NdjsonDecoder implements StreamDecoder {
  private rest = '';
  private lineNo = 0;

  push(text: string): BackendItem[] {
    const lines = (this.rest + text).split('\n');
    this.rest = lines.pop()!;
    if (this.rest.length > MAX_STREAM_LINE_CHARS)
      throw new MalformedStreamError(`NDJSON line ${this.lineNo + 1} is longer than ${MAX_STREAM_LINE_CHARS} characters`);
    return lines.flatMap((line) => this.line(line));
  }

  end(): BackendItem[] {
    const last = this.rest;
    this.rest = '';
    return this.line(last);
  }

  private line(raw: string): BackendItem[] {
    this.lineNo++;
    const line = raw.trim();
    if (line === '') return [];
    try {
      return [itemOf(JSON.parse(line))];
    } catch {
      throw new MalformedStreamError(`NDJSON line ${this.lineNo} is not JSON: ${JSON.stringify(line.slice(0, 60))}`);
    }
  }
}

/**
 * `text/event-stream` (WHATWG server-sent events): `data:` lines joined by
 * newlines make one event, ended by a blank line. Event `error` is a
 * failure, `result`/`complete` the final answer; other events are chunks.
 * Data that is not JSON is a text chunk; `[DONE]` ends nothing and is skipped.
 */
export class SseDecoder implements StreamDecoder {
  private rest = '';
  private data: string[] = [];
  private event = '';

  push(text: string): BackendItem[] {
    const lines = (this.rest + text).split(/\r\n|\r|\n/);
    this.rest = lines.pop()!;
    if (this.rest.length > MAX_STREAM_LINE_CHARS)
      throw new MalformedStreamError(`an SSE line is longer than ${MAX_STREAM_LINE_CHARS} characters`);
    const out: BackendItem[] = [];
    for (const line of lines) {
      if (line === '') {
        out.push(...this.dispatch());
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.event = value;
    }
    return out;
  }

  end(): BackendItem[] {
    const tail = this.rest === '' ? [] : this.push('\n');
    return [...tail, ...this.dispatch()];
  }

  private dispatch(): BackendItem[] {
    const event = this.event;
    const text = this.data.join('\n');
    const hasData = this.data.length > 0;
    this.data = [];
    this.event = '';
    if (!hasData || text === '[DONE]') return [];
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // plain text data is a text chunk
    }
    if (event === 'error')
      return [
        {
          kind: 'error',
          message:
            typeof value === 'string'
              ? value
              : itemOf(value).kind === 'error'
                ? (itemOf(value) as { message: string }).message
                : JSON.stringify(value),
        },
      ];
    if (event === 'result' || event === 'complete') {
      const item = itemOf(value);
      return [item.kind === 'result' ? item : { kind: 'result', result: value }];
    }
    return [typeof value === 'string' ? { kind: 'chunk', content: value } : itemOf(value)];
  }
}

/** The decoder for a reply's content type, or undefined when the reply is one body. */
export function decoderFor(contentType: string | null): StreamDecoder | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-ndjson' || type === 'application/ndjson' || type === 'application/jsonl') return new NdjsonDecoder();
  if (type === 'text/event-stream') return new SseDecoder();
  return undefined;
}
