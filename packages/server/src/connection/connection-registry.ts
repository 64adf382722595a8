import type { ClientConnection } from './client-connection.js';

/** One connection as `GET /api/connections` shows it. */
export interface ConnectionDescription {
  client_id: string;
  session_id: string;
  user: string;
  user_kind: string;
  org: string | null;
  remote_address: string;
  user_agent: string | null;
  connected_at: string;
  last_seen: string;
  subscriptions: number;
  queue_bytes: number;
  messages_in: number;
  messages_out: number;
}

/** Who is online: connections per user and org. */
export interface Presence {
  users: Array<{ user: string; org: string | null; connections: number }>;
  orgs: Array<{ org: string | null; users: number; connections: number }>;
}

/**
 * Every open connection, indexed by id, user and remote address so the
 * per-user and per-address limits cost a map lookup.
 */
export class ConnectionRegistry {
  private readonly byId = new Map<string, ClientConnection>();
  private readonly perUser = new Map<string, number>();
  private readonly perAddress = new Map<string, number>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): ClientConnection | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<ClientConnection> {
    return this.byId.values();
  }

  /** Registers a connection on upgrade (before it has an identity). */
  add(conn: ClientConnection): void {
    this.byId.set(conn.id, conn);
    bump(this.perAddress, conn.info.remoteAddress, 1);
  }

  /** Counts the connection for its user once authenticated. */
  addUser(conn: ClientConnection): void {
    bump(this.perUser, conn.identity.id, 1);
  }

  remove(conn: ClientConnection): boolean {
    if (!this.byId.delete(conn.id)) return false;
    bump(this.perAddress, conn.info.remoteAddress, -1);
    if (conn.isAuthenticated) bump(this.perUser, conn.identity.id, -1);
    return true;
  }

  countForUser(user: string): number {
    return this.perUser.get(user) ?? 0;
  }

  countForAddress(address: string): number {
    return this.perAddress.get(address) ?? 0;
  }

  describe(conn: ClientConnection, subscriptions: number): ConnectionDescription {
    return {
      client_id: conn.id,
      session_id: conn.info.sessionId,
      user: conn.identity.id,
      user_kind: conn.identity.kind,
      org: conn.org ?? null,
      remote_address: conn.info.remoteAddress,
      user_agent: conn.info.userAgent ?? null,
      connected_at: new Date(conn.connectedAtMs).toISOString(),
      last_seen: new Date(conn.lastSeenMs).toISOString(),
      subscriptions,
      queue_bytes: conn.queuedBytes,
      messages_in: conn.messagesIn,
      messages_out: conn.messagesOut,
    };
  }

  presence(): Presence {
    const described = [...this.byId.values()]
      .filter((c) => c.isAuthenticated)
      .map((c) => ({ user: c.identity.id, org: c.org ?? null }));
    return presenceOf(described);
  }
}

/** Connections per user and org, from connection descriptions (one node's, or every node's). */
export function presenceOf(connections: ReadonlyArray<Pick<ConnectionDescription, 'user' | 'org'>>): Presence {
  const users = new Map<string, { user: string; org: string | null; connections: number }>();
  for (const c of connections) {
    const key = `${c.user}\u0000${c.org ?? ''}`;
    const u = users.get(key) ?? { user: c.user, org: c.org, connections: 0 };
    u.connections++;
    users.set(key, u);
  }
  const orgs = new Map<string | null, { org: string | null; users: number; connections: number }>();
  for (const u of users.values()) {
    const o = orgs.get(u.org) ?? { org: u.org, users: 0, connections: 0 };
    o.users++;
    o.connections += u.connections;
    orgs.set(u.org, o);
  }
  return { users: [...users.values()], orgs: [...orgs.values()] };
}

function bump(map: Map<string, number>, key: string, delta: number): void {
  const n = (map.get(key) ?? 0) + delta;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}
