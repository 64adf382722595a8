import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { configSchema, type HeraldConfigInput } from '../src/config/config-schema.js';
import { startHerald, type HeraldHandle } from '../src/herald.js';
import type { EventStore } from '../src/store/event-store.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestServer extends HeraldHandle {
  dataDir: string;
  /** Stops the server and removes its data folder (unless keepData). */
  close(options?: { keepData?: boolean }): Promise<void>;
}

/**
 * Starts a real Herald on 127.0.0.1 port 0 with a fresh SQLite file, a known
 * admin token and silent logs. Pass `dataDir` to reuse a folder (restarts).
 * Herald's own lifecycle and metrics events are off unless a test turns them
 * on, so that the seqs a test counts are its own.
 */
export async function startTestServer(overrides: HeraldConfigInput & { dataDir?: string } = {}, options: { store?: EventStore } = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'herald-test-'));
  const config = configSchema.parse({
    host: '127.0.0.1',
    port: 0,
    adminToken: TEST_ADMIN_TOKEN,
    logLevel: 'silent',
    metricsEventIntervalMs: 0,
    lifecycleEvents: false,
    dashboard: false,
    ...overrides,
    dataDir,
  });
  const logger = pino({ level: process.env.HERALD_TEST_LOG ?? 'silent' });
  const handle = await startHerald(config, { logger, store: options.store });
  return Object.assign(Object.create(null) as object, handle, {
    dataDir,
    async close(options: { keepData?: boolean } = {}) {
      await handle.stop();
      if (!options.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  }) as TestServer;
}

/** A WebSocket test client that records every message and can wait for one. */
export class TestClient {
  readonly messages: Array<Record<string, unknown>> = [];
  private waiters: Array<{ pred: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }> = [];
  closeCode: number | undefined;
  closeReason = '';
  private nextId = 1;
  readonly closed: Promise<number>;

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (w.pred(m)) {
          w.resolve(m);
          return false;
        }
        return true;
      });
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve(code);
      }),
    );
  }

  /** Opens a connection; by default with the admin token as a Bearer header. */
  static async connect(url: string, options: { token?: string | null; headers?: Record<string, string>; path?: string } = {}): Promise<TestClient> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    const token = options.token === undefined ? TEST_ADMIN_TOKEN : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const ws = new WebSocket(options.path ? url.replace(/\/ws$/, options.path) : url, { headers });
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  /** Resolves with the first message (already received or future) that satisfies pred. */
  waitFor(pred: (m: Record<string, unknown>) => boolean, timeoutMs = 5_000, fromIndex = 0): Promise<Record<string, unknown>> {
    const seen = this.messages.slice(fromIndex).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for a message; got ${JSON.stringify(this.messages.slice(-5))}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  /** Sends an action with a fresh id and waits for the reply carrying that id. */
  async request(action: string, params: Record<string, unknown> = {}, timeoutMs = 5_000): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const from = this.messages.length;
    this.ws.send(JSON.stringify({ action, id, ...params }));
    return this.waitFor((m) => m.id === id, timeoutMs, from);
  }

  send(value: unknown): void {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  events(): Array<Record<string, unknown>> {
    return this.messages.filter((m) => m.type === 'event').map((m) => m.event as Record<string, unknown>);
  }

  close(): void {
    this.ws.close();
  }
}

/** HTTP request with the admin token (unless token is null) returning status and parsed JSON. */
export async function http(
  server: { httpUrl: string },
  method: string,
  path: string,
  body?: unknown,
  options: { token?: string | null; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  const token = options.token === undefined ? TEST_ADMIN_TOKEN : options.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined = options.rawBody;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${server.httpUrl}${path}`, { method, headers, body: payload });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Polls until check() is truthy or the timeout passes. */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
