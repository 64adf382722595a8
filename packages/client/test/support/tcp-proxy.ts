import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (Herald, PostgreSQL),
 * so tests can cut connections the hard way (both sockets destroyed, a
 * WebSocket client sees 1006), partition the server away (`cut` resets every
 * connection and each new one until `restore`), and point clients at a
 * restarted server on another port without them knowing.
 */
export class TcpProxy {
  readonly #server: Server;
  readonly #pairs = new Set<[Socket, Socket]>();
  readonly #targetHost: string;
  #targetPort: number;
  #isRefusing = false;
  #isResetting = false;
  /** Connections reset by `cut`, for a test's report. */
  resets = 0;

  private constructor(server: Server, target: { host: string; port: number }) {
    this.#server = server;
    this.#targetHost = target.host;
    this.#targetPort = target.port;
  }

  /** Starts a proxy on a free port to `127.0.0.1:<port>`, or to `host:port`. */
  static async start(target: number | { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, typeof target === 'number' ? { host: '127.0.0.1', port: target } : target);
    server.on('connection', (socket) => proxy.#accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    const address = this.#server.address();
    if (!address || typeof address === 'string') throw new Error('proxy is not listening');
    return address.port;
  }

  /** `ws://127.0.0.1:<proxy port>/ws` */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  /** Connections currently relayed. */
  get connectionCount(): number {
    return this.#pairs.size;
  }

  /** Sends new connections to another port (a restarted server). */
  retarget(port: number): void {
    this.#targetPort = port;
  }

  /** While true, new connections are cut at once, as if the server were unreachable. */
  refuse(isRefusing: boolean): void {
    this.#isRefusing = isRefusing;
  }

  /**
   * A partition: every relayed connection is reset (TCP RST), and so is each
   * new one, until {@link restore}.
   */
  cut(): void {
    this.#isRefusing = true;
    this.#isResetting = true;
    for (const [client, upstream] of this.#pairs) {
      this.resets++;
      client.resetAndDestroy();
      upstream.destroy();
    }
    this.#pairs.clear();
  }

  /** Ends a {@link cut}: new connections are relayed again. */
  restore(): void {
    this.#isRefusing = false;
    this.#isResetting = false;
  }

  /** Cuts every relayed connection without a close handshake. */
  cutAll(): number {
    const n = this.#pairs.size;
    for (const [a, b] of this.#pairs) {
      a.destroy();
      b.destroy();
    }
    this.#pairs.clear();
    return n;
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: Socket): void {
    client.on('error', () => undefined);
    if (this.#isRefusing) {
      if (this.#isResetting) client.resetAndDestroy();
      else client.destroy();
      return;
    }
    const upstream = connect(this.#targetPort, this.#targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    this.#pairs.add(pair);
    const end = (): void => {
      this.#pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
