import type { IncomingMessage } from 'node:http';

/** Room members, by room name; shared by the raw `ws` peers. */
export class Rooms<T> {
  readonly #rooms = new Map<string, Set<T>>();

  join(room: string, member: T): () => void {
    let members = this.#rooms.get(room);
    if (members === undefined) this.#rooms.set(room, (members = new Set()));
    members.add(member);
    return () => members.delete(member);
  }

  members(room: string): Iterable<T> {
    return this.#rooms.get(room) ?? [];
  }
}

/** `role` and `room` from a raw peer's upgrade URL (`/?room=g3`, `/?role=pub`). */
export function parseUpgrade(req: IncomingMessage): { isPublisher: boolean; room: string } {
  const url = new URL(req.url ?? '/', 'http://peer');
  return { isPublisher: url.searchParams.get('role') === 'pub', room: url.searchParams.get('room') ?? 'all' };
}

/** Splits a publisher message `room\n<data>`. */
export function splitPublish(message: Buffer): { room: string; payload: Buffer } {
  const newline = message.indexOf(10);
  return { room: message.toString('latin1', 0, newline), payload: message.subarray(newline + 1) };
}

/** Tells the bench which port was bound. */
export function announce(port: number): void {
  process.stdout.write(`LISTENING ${port}\n`);
}

/** Whether the bench asked for permessage-deflate (S9). */
export const isDeflateRequested = process.env['BENCH_DEFLATE'] === '1';
