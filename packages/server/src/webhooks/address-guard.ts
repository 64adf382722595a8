import { lookup as dnsLookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may not reach unless the operator allows private
 * targets: loopback, "this network", private (RFC 1918), carrier-grade
 * NAT, link-local (where cloud metadata services answer), benchmarking,
 * multicast and reserved IPv4; unspecified, loopback, unique-local,
 * link-local, site-local and multicast IPv6. IPv4 addresses embedded in
 * IPv6 (mapped `::ffff:a.b.c.d`, compatible, NAT64 `64:ff9b::`) are judged
 * by their IPv4 part.
 */
const REFUSED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  REFUSED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  REFUSED.addSubnet(net, prefix, 'ipv6');
}

/** The IPv4 address an IPv6 address carries (mapped, compatible or NAT64), if any. */
function embeddedIpv4(ipv6: string): string | undefined {
  const lower = ipv6.toLowerCase();
  const dotted = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1]!, 16);
    const lo = parseInt(hex[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return undefined;
}

/** True for an address a webhook may not reach without `HERALD_WEBHOOKS_ALLOW_PRIVATE=true`. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return REFUSED.check(address, 'ipv4');
  if (family !== 6) return true;
  const v4 = embeddedIpv4(address);
  if (v4 !== undefined) return REFUSED.check(v4, 'ipv4');
  return REFUSED.check(address, 'ipv6');
}

/** The addresses a host resolves to when all are public, or why it is refused. */
export type AddressCheck = { ok: true; addresses: string[] } | { ok: false; reason: string };

type Lookup = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemLookup: Lookup = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

/**
 * Resolves the host of `url` and checks every address. A host whose
 * addresses are partly private is refused whole: the connection could
 * pick any of them. A name that does not resolve passes with no
 * addresses: {@link guardedLookup} judges it at every connection.
 */
export async function checkWebhookHost(hostname: string, lookup: Lookup = systemLookup): Promise<AddressCheck> {
  const host = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  let addresses: string[];
  if (isIP(host) !== 0) addresses = [host];
  else {
    try {
      addresses = (await lookup(host)).map((a) => a.address);
    } catch {
      // Nothing to judge yet (the name may be created later); the connection is checked when it is made.
      return { ok: true, addresses: [] };
    }
  }
  const refused = addresses.find(isPrivateAddress);
  if (refused !== undefined) {
    return {
      ok: false,
      reason: `the host "${host}" resolves to ${refused}, a loopback, link-local or private address; set HERALD_WEBHOOKS_ALLOW_PRIVATE=true to allow it`,
    };
  }
  return { ok: true, addresses };
}

/**
 * A `lookup` for `http.request` that refuses private addresses as the
 * connection is made, so a DNS answer that changed since the webhook was
 * created (DNS rebinding) cannot reach them either.
 */
export function guardedLookup(
  hostname: string,
  options: { all?: boolean },
  callback: (err: Error | null, address: string | Array<{ address: string; family: number }>, family?: number) => void,
): void {
  dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused) return callback(new AddressRefusedError(hostname, refused.address), '', 0);
    if (options.all) return callback(null, addresses);
    const first = addresses[0]!;
    return callback(null, first.address, first.family);
  });
}

/** A connection refused by the address guard. */
export class AddressRefusedError extends Error {
  readonly code = 'HERALD_WEBHOOK_ADDRESS_REFUSED';
  constructor(host: string, address: string) {
    super(`the host "${host}" resolves to ${address}, a loopback, link-local or private address; set HERALD_WEBHOOKS_ALLOW_PRIVATE=true to allow it`);
    this.name = 'AddressRefusedError';
  }
}
