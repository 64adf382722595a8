import type { Cluster, NodeAnswer, NodeInfo, RequestHandler } from './cluster.js';

/** A deployment of one node: asking everyone is asking oneself. */
export class LocalCluster implements Cluster {
  private readonly handlers = new Map<string, RequestHandler>();
  private self: (() => Omit<NodeInfo, 'last_heartbeat'>) | undefined;

  constructor(readonly nodeId: string) {}

  handle(kind: string, handler: RequestHandler): void {
    this.handlers.set(kind, handler);
  }

  async start(self: () => Omit<NodeInfo, 'last_heartbeat'>): Promise<void> {
    this.self = self;
  }

  async nodes(): Promise<NodeInfo[]> {
    return this.self ? [{ ...this.self(), last_heartbeat: new Date().toISOString() }] : [];
  }

  async ask<T>(kind: string, payload: unknown): Promise<Array<NodeAnswer<T>>> {
    const handler = this.handlers.get(kind);
    if (!handler) return [];
    return [{ node_id: this.nodeId, answer: (await handler(payload)) as T }];
  }

  async stop(): Promise<void> {
    this.self = undefined;
  }
}
