const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new event id: 26 characters of Crockford base32, 48 bits of millisecond
 * time then 80 random bits, the layout of a ULID, so ids sort roughly by
 * creation time. Uses `crypto.getRandomValues`, which browsers offer outside
 * secure contexts too, unlike `crypto.randomUUID`.
 *
 * @example
 * ```ts
 * createEventId(); // '01JD7X4M2R9Q0V8B5N6K3W1T2Y'
 * ```
 */
export function createEventId(nowMs: number = Date.now(), random: (bytes: Uint8Array) => void = fillRandom): string {
  let time = '';
  let t = Math.max(0, Math.floor(nowMs));
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const bytes = new Uint8Array(16);
  random(bytes);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += CROCKFORD[bytes[i]! & 31];
  return time + rand;
}

function fillRandom(bytes: Uint8Array): void {
  globalThis.crypto.getRandomValues(bytes);
}
