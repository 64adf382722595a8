import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type RedisTarget, busUnavailable, connectRedis, openRedis } from '../bus/redis-connection.js';
import type { Cluster, NodeAnswer, NodeInfo, RequestHandler } from './cluster.js';

/** How long `ask` waits for the other nodes, ms. */
const ASK_TIMEOUT_MS = 1_500;

interface Request {
  id: string;
  from: string;
  kind: string;
  payload: unknown;
}

interface Reply {
  id: string;
  node_id: string;
  answer: unknown;
}

/**
 * Nodes in Redis: each node renews `<prefix>node:<id>` (expiring after the
 * node timeout, so a killed node disappears by itself) and is listed in the
 * set `<prefix>nodes`. Requests to every node go over Redis pub/sub on
 * `<prefix>cluster`, answers on `<prefix>cluster:<node id>`.
 */
export class RedisCluster implements Cluster {
  private readonly handlers = new Map<string, RequestHandler>();
  private readonly pending = new Map<string, { answers: NodeAnswer[]; expected: number; done: () => void }>();
  private readonly subscriber: Redis;
  private timer: NodeJS.Timeout | undefined;
  private self: (() => Omit<NodeInfo, 'last_heartbeat'>) | undefined;
  private readonly nodesKey: string;
  private readonly channel: string;

  constructor(
    private readonly deps: {
      nodeId: string;
      redis: Redis;
      target: RedisTarget;
      heartbeatIntervalMs: number;
      nodeTimeoutMs: number;
      logger?: { warn(obj: object, msg: string): void };
    },
  ) {
    this.nodesKey = `${deps.target.prefix}nodes`;
    this.channel = `${deps.target.prefix}cluster`;
    // Errors are reported by the bus, which shares the Redis; this connection only reconnects.
    this.subscriber = connectRedis(deps.target, 'cluster', () => undefined, { isBlocking: true });
  }

  get nodeId(): string {
    return this.deps.nodeId;
  }

  private nodeKey(id: string): string {
    return `${this.deps.target.prefix}node:${id}`;
  }

  handle(kind: string, handler: RequestHandler): void {
    this.handlers.set(kind, handler);
  }

  async start(self: () => Omit<NodeInfo, 'last_heartbeat'>): Promise<void> {
    this.self = self;
    await openRedis(this.subscriber, this.deps.target);
    this.subscriber.on('message', (channel: string, text: string) => this.onMessage(channel, text));
    await this.subscriber.subscribe(this.channel, `${this.channel}:${this.nodeId}`);
    await this.heartbeat();
    this.timer = setInterval(() => {
      this.heartbeat().catch((err: unknown) =>
        this.deps.logger?.warn({ err: (err as Error).message }, 'could not renew this node in Redis'),
      );
    }, this.deps.heartbeatIntervalMs);
    this.timer.unref();
  }

  private async heartbeat(): Promise<void> {
    if (!this.self) return;
    const info: NodeInfo = { ...this.self(), last_heartbeat: new Date().toISOString() };
    await this.deps.redis
      .multi()
      .set(this.nodeKey(this.nodeId), JSON.stringify(info), 'PX', this.deps.nodeTimeoutMs)
      .sadd(this.nodesKey, this.nodeId)
      .exec();
  }

  /** @throws HeraldError `bus_unavailable` while Redis is unreachable. */
  async nodes(): Promise<NodeInfo[]> {
    try {
      return await this.readNodes();
    } catch (err) {
      throw busUnavailable(err);
    }
  }

  private async readNodes(): Promise<NodeInfo[]> {
    const ids = (await this.deps.redis.smembers(this.nodesKey)).sort();
    if (ids.length === 0) return [];
    const values = await this.deps.redis.mget(ids.map((id) => this.nodeKey(id)));
    const gone = ids.filter((_, i) => values[i] === null);
    // A node whose entry expired left the cluster (killed, or cut off from Redis).
    if (gone.length > 0) await this.deps.redis.srem(this.nodesKey, ...gone);
    return values.flatMap((v) => (v === null ? [] : [JSON.parse(v) as NodeInfo]));
  }

  /** While Redis is unreachable only this node can answer, and does. */
  async ask<T>(kind: string, payload: unknown): Promise<Array<NodeAnswer<T>>> {
    let expected: number;
    try {
      expected = (await this.readNodes()).length;
    } catch {
      const handler = this.handlers.get(kind);
      return handler ? [{ node_id: this.nodeId, answer: (await handler(payload)) as T }] : [];
    }
    const id = randomBytes(8).toString('hex');
    const request: Request = { id, from: this.nodeId, kind, payload };
    const answers: NodeAnswer[] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, ASK_TIMEOUT_MS);
      function finish() {
        clearTimeout(timer);
        resolve();
      }
      this.pending.set(id, { answers, expected: Math.max(1, expected), done: finish });
      this.deps.redis.publish(this.channel, JSON.stringify(request)).catch(finish);
    });
    this.pending.delete(id);
    return answers as Array<NodeAnswer<T>>;
  }

  private onMessage(channel: string, text: string): void {
    let message: Request & Reply;
    try {
      message = JSON.parse(text) as Request & Reply;
    } catch {
      return;
    }
    if (channel === this.channel) {
      void this.answer(message);
      return;
    }
    const waiting = this.pending.get(message.id);
    if (!waiting) return;
    waiting.answers.push({ node_id: message.node_id, answer: message.answer });
    if (waiting.answers.length >= waiting.expected) waiting.done();
  }

  private async answer(request: Request): Promise<void> {
    const handler = this.handlers.get(request.kind);
    if (!handler) return;
    let answer: unknown;
    try {
      answer = await handler(request.payload);
    } catch (err) {
      this.deps.logger?.warn({ err, kind: request.kind }, 'a cluster request failed on this node');
      return;
    }
    const reply: Reply = { id: request.id, node_id: this.nodeId, answer };
    await this.deps.redis.publish(`${this.channel}:${request.from}`, JSON.stringify(reply)).catch(() => undefined);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.self = undefined;
    // Leaving on purpose: the others see it gone at once rather than after the timeout.
    await this.deps.redis
      .multi()
      .del(this.nodeKey(this.nodeId))
      .srem(this.nodesKey, this.nodeId)
      .exec()
      .catch(() => undefined);
    this.subscriber.disconnect();
  }
}

/** A node id unique enough for a deployment: host, process and a random suffix. */
export function defaultNodeId(hostname: string, pid: number): string {
  return `${hostname.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 40)}-${pid}-${randomBytes(3).toString('hex')}`;
}
