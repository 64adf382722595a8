import type { ClientSocket } from '../wire/client-socket.js';
import { openSession } from './connect.js';
import type { DialectSpec } from '../dialects/dialect.js';

/** A Herald connection that publishes and awaits each acknowledgement by id. */
export class AckingPublisher {
  readonly #pending = new Map<number, (ack: { count: number; lastSeq: number } | Error) => void>();
  #socket: ClientSocket | undefined;
  #nextId = 1;

  async open(spec: DialectSpec): Promise<void> {
    this.#socket = await openSession(
      { spec, isDeflateOffered: false, timeoutMs: 10_000 },
      { kind: 'publisher', index: -1 },
      {
        onEvent: () => undefined,
        onReplayed: () => undefined,
        onAck: (count, id, lastSeq) => this.#settle(id, { count, lastSeq }),
        // One request in flight per id; an error reply fails the oldest.
        onError: (text) => this.#settle(this.#pending.keys().next().value ?? -1, new Error(text)),
        onClose: (code) => {
          for (const id of [...this.#pending.keys()]) this.#settle(id, new Error(`closed with ${code}`));
        },
      },
    );
  }

  /** Publishes `eventsJson` (a JSON array text); resolves with the ack. */
  publish(eventsJson: string, timeoutMs = 10_000): Promise<{ count: number; lastSeq: number }> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#settle(id, new Error(`no ack after ${timeoutMs} ms`)), timeoutMs);
      this.#pending.set(id, (ack) => {
        clearTimeout(timer);
        if (ack instanceof Error) reject(ack);
        else resolve(ack);
      });
      this.#socket?.send(`{"action":"publish","id":${id},"events":${eventsJson}}`);
    });
  }

  close(): void {
    this.#socket?.destroy();
  }

  #settle(id: number, ack: { count: number; lastSeq: number } | Error): void {
    const done = this.#pending.get(id);
    if (done === undefined) return;
    this.#pending.delete(id);
    done(ack);
  }
}
