import { Agent, request } from 'node:http';

/** A keep-alive HTTP client for one target, bounded by a per-request timeout. */
export class HttpClient {
  readonly #agent: Agent;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly token: string,
    maxSockets: number,
  ) {
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** Resolves with the status and body text; rejects on a network error or after `timeoutMs`. */
  call(method: 'GET' | 'POST', path: string, body?: string, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      const req = request({ host: this.host, port: this.port, method, path, headers, agent: this.#agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}
