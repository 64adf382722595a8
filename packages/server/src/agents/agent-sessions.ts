import { randomBytes } from 'node:crypto';

/** A session the server opened for a connection with one agent. */
export interface OpenSession {
  agent: string;
  sessionId: string;
  user: string;
}

/**
 * One session per connection and agent: the first message a connection
 * sends an agent opens it, later ones reuse it, and the connection's close
 * ends all of them (see AgentService.connectionClosed).
 */
export class AgentSessions {
  private readonly byConnection = new Map<string, Map<string, OpenSession>>();

  /** The connection's session with `agent`, opened now when it has none. */
  sessionFor(connectionId: string, agent: string, user: string): string {
    let sessions = this.byConnection.get(connectionId);
    if (!sessions) {
      sessions = new Map();
      this.byConnection.set(connectionId, sessions);
    }
    let open = sessions.get(agent);
    if (!open) {
      open = { agent, sessionId: newSessionId(), user };
      sessions.set(agent, open);
    }
    return open.sessionId;
  }

  /** Forgets the connection's sessions and returns them, to be ended. */
  close(connectionId: string): OpenSession[] {
    const sessions = this.byConnection.get(connectionId);
    this.byConnection.delete(connectionId);
    return sessions ? [...sessions.values()] : [];
  }

  get size(): number {
    let n = 0;
    for (const s of this.byConnection.values()) n += s.size;
    return n;
  }
}

/** `sess_…`: 16 random bytes, URL-safe. */
export function newSessionId(): string {
  return `sess_${randomBytes(16).toString('base64url')}`;
}
