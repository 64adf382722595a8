import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { AddressRefusedError, guardedLookup, isPrivateAddress } from './address-guard.js';

/** The result of one POST. `status` is undefined when no answer came (timeout, refused, reset). */
export interface AttemptResult {
  status: number | undefined;
  latencyMs: number;
  /** Why it failed, when it did: a network error, a timeout, or the start of a non-2xx body. */
  error: string | undefined;
}

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/** Bytes of a failed answer's body kept for the delivery log. */
const ERROR_BODY_BYTES = 200;

/**
 * POSTs webhook bodies. One attempt is one request with a deadline
 * covering connect, upload and the whole answer; redirects are not
 * followed (a 3xx is a failed attempt, as Stripe and Svix treat it).
 * Without `allowPrivate`, connections resolve through the address guard.
 */
export class WebhookSender {
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly inFlight = new Set<http.ClientRequest>();
  private isClosed = false;

  constructor(private readonly options: { allowPrivate: boolean; userAgent: string }) {}

  send(request: SendRequest): Promise<AttemptResult> {
    const started = performance.now();
    if (this.isClosed) return Promise.resolve({ status: undefined, latencyMs: 0, error: 'Herald is stopping' });
    const url = new URL(request.url);
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    // An address literal never goes through the lookup, so it is judged here.
    if (!this.options.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) {
      return Promise.resolve({ status: undefined, latencyMs: 0, error: new AddressRefusedError(host, host).message });
    }
    const isHttps = url.protocol === 'https:';
    return new Promise((resolve) => {
      let settled = false;
      const done = (status: number | undefined, error: string | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(req);
        resolve({ status, latencyMs: Math.round(performance.now() - started), error });
      };
      const req = (isHttps ? https : http).request(url, {
        method: 'POST',
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        headers: {
          ...request.headers,
          'user-agent': this.options.userAgent,
          'content-length': String(Buffer.byteLength(request.body)),
        },
        ...(this.options.allowPrivate ? {} : { lookup: guardedLookup as never }),
      });
      this.inFlight.add(req);
      const timer = setTimeout(() => {
        done(undefined, `no answer within ${request.timeoutMs} ms`);
        req.destroy();
      }, request.timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => done(undefined, err.code === 'HERALD_WEBHOOK_ADDRESS_REFUSED' ? err.message : `${err.code ?? 'error'}: ${err.message}`));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept < ERROR_BODY_BYTES) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        res.on('end', () => {
          if (status >= 200 && status < 300) return done(status, undefined);
          const text = Buffer.concat(chunks).toString('utf8').slice(0, ERROR_BODY_BYTES).trim();
          done(status, `HTTP ${status}${text ? `: ${text}` : ''}`);
        });
        res.on('error', (err) => done(status, `the answer broke off: ${err.message}`));
      });
      req.end(request.body);
    });
  }

  /** Cuts the requests in flight short and refuses new ones. */
  close(): void {
    this.isClosed = true;
    for (const req of this.inFlight) req.destroy();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
