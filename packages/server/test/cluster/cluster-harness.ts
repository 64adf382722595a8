import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { expect } from 'vitest';
import { deleteRedisPrefix, randomRedisPrefix, TEST_REDIS_URL, testRedisUrl } from '../../src/bus/redis-bus.contract-fixture.js';
import { TEST_POSTGRES_URL, dropSchema, randomSchemaName } from '../../src/store/postgres-event-store.contract-fixture.js';
import { TEST_ADMIN_TOKEN, TestClient, http } from '../helpers.js';

/**
 * Real Herald processes for the cluster tests: each node is `herald serve`
 * on port 0 with the Redis bus and the PostgreSQL store, its output in a
 * temp file (shown when a test fails), killed in `stop()`.
 */

const BIN = fileURLToPath(new URL('../../bin/herald.ts', import.meta.url));
// tsx's loader in the node process itself, so a SIGKILL ends the node and nothing outlives it.
const TSX_LOADER = new URL('../../../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
/** How long a node may take to start on a busy machine, ms. */
const START_BOUND_MS = 60_000;

/** One `herald serve` process. */
export class HeraldNode {
  httpUrl = '';
  wsUrl = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logPath: string,
  ) {
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  log(): string {
    try {
      return readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }

  /** Resolves once the node says it listens, with its URL; fails with its log after the bound. */
  async ready(): Promise<void> {
    const deadline = Date.now() + START_BOUND_MS;
    for (;;) {
      const line = this.log()
        .split('\n')
        .find((l) => l.includes('herald is listening'));
      if (line) {
        const { url, ws_url } = JSON.parse(line) as { url: string; ws_url: string };
        this.httpUrl = url;
        this.wsUrl = ws_url;
        return;
      }
      if (!this.isRunning) throw new Error(`node ${this.name} exited before listening:\n${this.log()}`);
      if (Date.now() > deadline) throw new Error(`node ${this.name} did not start within ${START_BOUND_MS} ms:\n${this.log()}`);
      await sleep(100);
    }
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (this.isRunning) this.child.kill(signal);
    return this.exited;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until check() holds, at most boundMs. */
export async function until(check: () => boolean | Promise<boolean>, boundMs = 30_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(25);
  }
}

/**
 * The end state every fault test asks for: each acknowledged seq names one
 * event and the log holds it under that seq; every subscriber caught up to
 * the newest and saw the log in order, without gap or duplicate. Returns the
 * stored ids and seqs.
 */
export async function expectLogDelivered(
  deployment: Deployment,
  acked: ReadonlyMap<string, number>,
  subscribers: readonly TestClient[],
): Promise<Map<string, number>> {
  expect(new Set(acked.values()).size).toBe(acked.size);
  const newest = Math.max(...acked.values());
  await until(() => subscribers.every((s) => (s.events().at(-1)?.seq as number | undefined) === newest));
  const stored = await deployment.storedSeqs();
  for (const [id, seq] of acked) expect(stored.get(id)).toBe(seq);
  for (const s of subscribers) expect(checkDelivery(s.events(), acked as Map<string, number>, stored)).toBeUndefined();
  return stored;
}

/** A free TCP port on 127.0.0.1 (for a redis-server the test owns). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A `redis-server` this test owns, keeping nothing on disk, so a restart comes back empty. */
export class OwnRedis {
  child: ChildProcess | undefined;
  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await new Promise<boolean>((resolve) => {
        const probe = spawn('redis-cli', ['-p', String(this.port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        probe.stdout.on('data', (c: Buffer) => (out += c.toString()));
        probe.on('exit', () => resolve(out.includes('PONG')));
      });
      if (ok) return;
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not start`);
      await sleep(50);
    }
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}

export interface DeploymentOptions {
  /** Base Redis URL; default the shared test Redis. */
  redisUrl?: string;
  /** Extra environment for every node. */
  env?: Record<string, string>;
  /** Extra environment for the node with this name (`node1`, …). */
  envOf?: Record<string, Record<string, string>>;
}

/** Several nodes sharing one PostgreSQL schema and one Redis prefix. */
export class Deployment {
  readonly nodes: HeraldNode[] = [];
  readonly schema = randomSchemaName();
  readonly prefix = randomRedisPrefix();
  private readonly dir = mkdtempSync(join(tmpdir(), 'herald-cluster-'));
  private readonly clients: TestClient[] = [];
  private started = 0;

  constructor(private readonly options: DeploymentOptions = {}) {}

  get storeUrl(): string {
    const url = new URL(TEST_POSTGRES_URL);
    url.searchParams.set('schema', this.schema);
    return url.toString();
  }

  /** Starts `count` more nodes at the same moment (as a fresh deployment would) and waits until all listen. */
  async add(count: number): Promise<HeraldNode[]> {
    const fresh = Array.from({ length: count }, () => this.spawnNode());
    this.nodes.push(...fresh);
    await Promise.all(fresh.map((n) => n.ready()));
    return fresh;
  }

  private spawnNode(): HeraldNode {
    const name = `node${++this.started}`;
    const logPath = join(this.dir, `${name}.log`);
    const fd = openSync(logPath, 'a');
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NO_COLOR: '1',
      HERALD_HOST: '127.0.0.1',
      HERALD_PORT: '0',
      HERALD_DATA_DIR: join(this.dir, name),
      HERALD_STORE: this.storeUrl,
      HERALD_BUS: testRedisUrl(this.prefix, this.options.redisUrl ?? TEST_REDIS_URL),
      HERALD_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
      HERALD_NODE_ID: name,
      HERALD_LOG_FORMAT: 'json',
      HERALD_LOG_LEVEL: 'info',
      HERALD_LIFECYCLE_EVENTS: 'false',
      HERALD_METRICS_EVENT_INTERVAL_MS: '0',
      HERALD_DASHBOARD: 'false',
      // Short, so a gap left by a killed node closes quickly and a killed node leaves the list soon.
      HERALD_CLUSTER_GAP_TIMEOUT_MS: '500',
      HERALD_CLUSTER_HEARTBEAT_INTERVAL_MS: '500',
      HERALD_CLUSTER_NODE_TIMEOUT_MS: '3000',
      HERALD_LIMITS_PUBLISHES_PER_SECOND: '1000000',
      ...this.options.env,
      ...this.options.envOf?.[name],
    };
    const child = spawn(process.execPath, ['--import', TSX_LOADER, BIN, 'serve'], { env, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    return new HeraldNode(name, child, logPath);
  }

  /** A WebSocket client of one node, closed in `stop()`. */
  async connect(node: HeraldNode): Promise<TestClient> {
    const client = await TestClient.connect(node.wsUrl);
    this.clients.push(client);
    await client.waitFor((m) => m.type === 'connected', 10_000);
    return client;
  }

  /** The last lines of every node's log, for a failed test. */
  logTail(lines = 40): string {
    return this.nodes.map((n) => `--- ${n.name} (${n.logPath})\n${n.log().split('\n').slice(-lines).join('\n')}`).join('\n');
  }

  /** Every event the shared store holds: id -> seq. */
  async storedSeqs(): Promise<Map<string, number>> {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; seq: string }>(`SELECT id, seq FROM "${this.schema}".events ORDER BY seq`);
      return new Map(rows.map((r) => [r.id, Number(r.seq)]));
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    for (const c of this.clients.splice(0)) c.close();
    await Promise.all(this.nodes.map((n) => n.kill('SIGKILL')));
    await dropSchema(this.schema).catch(() => undefined);
    await deleteRedisPrefix(this.prefix, this.options.redisUrl ?? TEST_REDIS_URL);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Subscribes to `pattern` and returns the client (events are read from `client.events()`). */
export async function subscribe(client: TestClient, pattern: string, since?: number): Promise<void> {
  const reply = await client.request('subscribe', { event_types: [pattern], ...(since !== undefined ? { since } : {}) }, 10_000);
  if (reply.type !== 'subscribed') throw new Error(`subscribe failed: ${JSON.stringify(reply)}`);
}

/** Publishes over HTTP; returns the acknowledged id -> seq, or the refusal. */
export async function publishHttp(
  node: HeraldNode,
  events: unknown[],
): Promise<{ status: number; acked: Map<string, number>; retryAfter: string | null; body: any }> {
  const r = await http(node, 'POST', '/api/events', { events });
  const acked = new Map<string, number>();
  if (r.status === 202) (r.body.ids as string[]).forEach((id, i) => acked.set(id, r.body.seqs[i] as number));
  return { status: r.status, acked, retryAfter: r.headers.get('retry-after'), body: r.body };
}

/**
 * What a subscriber must have seen: every acknowledged event, once, in
 * ascending seq, each with the seq it was acknowledged with, and nothing the
 * store lacks. Returns a description of the first violation, or undefined.
 */
export function checkDelivery(
  received: Array<Record<string, unknown>>,
  acked: Map<string, number>,
  stored: Map<string, number>,
): string | undefined {
  let last = 0;
  const seen = new Set<string>();
  for (const e of received) {
    const id = e.id as string;
    const seq = e.seq as number;
    if (seq <= last) return `seq ${seq} (id ${id}) came after seq ${last}`;
    last = seq;
    if (seen.has(id)) return `id ${id} delivered twice`;
    seen.add(id);
    if (stored.get(id) !== seq) return `delivered ${id} at seq ${seq}, but the store has ${stored.get(id) ?? 'nothing'} for it`;
  }
  for (const [id, seq] of acked) if (!seen.has(id)) return `acknowledged ${id} (seq ${seq}) was never delivered`;
  return undefined;
}
