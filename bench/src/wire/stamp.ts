const marker = Buffer.from('"t":');
const digit0 = 0x30;
const digit9 = 0x39;

/**
 * The publisher's send stamp (`"t":<integer µs>`) in `buf[from, to)`, or -1
 * when there is none. A byte search instead of JSON.parse: the generator reads
 * up to a million frames a second and must not become the bottleneck.
 */
export function readStamp(buf: Buffer, from = 0, to = buf.length): number {
  const at = buf.indexOf(marker, from);
  if (at < 0 || at + 4 >= to) return -1;
  let value = 0;
  let i = at + 4;
  for (; i < to; i++) {
    const c = buf[i]!;
    if (c < digit0 || c > digit9) break;
    value = value * 10 + (c - digit0);
  }
  return i === at + 4 ? -1 : value;
}
