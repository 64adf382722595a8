/** One node as `GET /api/nodes` lists it. */
export interface NodeInfo {
  node_id: string;
  /** Where the node says it listens, as its own URL (behind a load balancer, for operators only). */
  url: string;
  version: string;
  started_at: string;
  /** When the node last renewed its entry. */
  last_heartbeat: string;
  connections: number;
  /** The highest seq the node has delivered. */
  delivered_seq: number;
}

/** What a node answers to a request from another node. */
export type RequestHandler = (payload: unknown) => Promise<unknown>;

/** One node's answer to {@link Cluster.ask}. */
export interface NodeAnswer<T = unknown> {
  node_id: string;
  answer: T;
}

/**
 * The nodes of a deployment and a way to ask all of them something
 * (their connections, to close one). On one node it is just this node.
 *
 * Contract:
 * - `nodes()` lists every node that renewed its entry within the node
 *   timeout, this one included, ordered by id.
 * - `ask(kind, payload)` runs the handler registered for `kind` on every
 *   live node, this one included, and resolves with the answers that came
 *   within the timeout (a node that does not answer is left out, never
 *   waited for without bound). A handler that throws is left out too.
 */
export interface Cluster {
  readonly nodeId: string;
  handle(kind: string, handler: RequestHandler): void;
  start(self: () => Omit<NodeInfo, 'last_heartbeat'>): Promise<void>;
  nodes(): Promise<NodeInfo[]>;
  ask<T>(kind: string, payload: unknown): Promise<Array<NodeAnswer<T>>>;
  stop(): Promise<void>;
}
