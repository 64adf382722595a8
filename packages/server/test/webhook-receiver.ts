import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../src/webhooks/sign-payload.js';

/** One request a receiver got. */
export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
  /** What the receiver answered: a status, or `hang` (never answered). */
  answer: number | 'hang';
}

/** How a receiver answers its `n`th request (0-based) for a body. */
export type Answer = (request: { n: number; json: Record<string, unknown>; headers: http.IncomingHttpHeaders }) => number | 'hang';

/**
 * A real HTTP receiver on 127.0.0.1 port 0 that records every request and
 * answers as told: a status, or `hang` to hold the request open (until
 * Herald times out, or the receiver closes). `accepted` are the requests it
 * answered with a 2xx: what a real receiver would have processed.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly hanging = new Set<http.ServerResponse>();
  private readonly server: http.Server;
  answer: Answer;

  private constructor(answer: Answer) {
    this.answer = answer;
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const json = JSON.parse(body) as Record<string, unknown>;
        const answer = this.answer({ n: this.requests.length, json, headers: req.headers });
        this.requests.push({ headers: req.headers, body, json, answer });
        if (answer === 'hang') {
          this.hanging.add(res);
          res.on('close', () => this.hanging.delete(res));
          return;
        }
        res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer >= 300 ? `refused with ${answer}` : 'ok');
      });
    });
  }

  static async start(answer: Answer = () => 200): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver(answer);
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Requests held open right now. */
  get hangingCount(): number {
    return this.hanging.size;
  }

  /** Requests answered with a 2xx. */
  get accepted(): ReceivedRequest[] {
    return this.requests.filter((r) => typeof r.answer === 'number' && r.answer >= 200 && r.answer < 300);
  }

  /** The seqs of the accepted requests, in arrival order. */
  acceptedSeqs(): number[] {
    return this.accepted.map((r) => Number(r.headers['herald-event-seq']));
  }

  /** True when every accepted request carries a valid signature for `secret`. */
  allSigned(secret: string): boolean {
    const nowS = Math.floor(Date.now() / 1000);
    return this.accepted.every((r) => verifySignature(secret, r.body, String(r.headers['herald-signature'] ?? ''), nowS));
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
