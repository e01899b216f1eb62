/**
 * The address a request came from, for rate limits. It is the socket's peer address, which
 * the server stamps on every request as `x-tidings-peer` (see `instrumentation.ts`; a value
 * a client sends is overwritten). `X-Forwarded-For`, which any client can set, is believed
 * only for hops that `TRUSTED_PROXIES` names: walking from the nearest hop, the first address
 * that is not a trusted proxy is the client.
 */
import { BlockList, isIP } from "node:net";

/** Set by the server from the socket, overwriting whatever the client sent. */
export const PEER_HEADER = "x-tidings-peer";
/** The resolved client address handed to better-auth (its `ipAddressHeaders`). */
export const CLIENT_IP_HEADER = "x-tidings-client-ip";

/** `::ffff:10.0.0.1` → `10.0.0.1`; anything that is not an IP address → null. */
export function normalizeAddress(value: string | null | undefined): string | null {
  if (!value) return null;
  let address = value.trim();
  if (address.startsWith("[") && address.includes("]")) address = address.slice(1, address.indexOf("]"));
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(address)) address = address.slice(7);
  return isIP(address) ? address : null;
}

/**
 * Parses `TRUSTED_PROXIES`: comma-separated addresses and CIDR ranges
 * (`127.0.0.1, 10.0.0.0/8, fd00::/8`). Throws naming the entry that does not parse.
 */
export function parseTrustedProxies(value: string | undefined): BlockList | null {
  if (!value?.trim()) return null;
  const list = new BlockList();
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    if (!entry) continue;
    const [addr, bits, ...rest] = entry.split("/");
    const address = normalizeAddress(addr);
    const family = address ? (isIP(address) === 6 ? "ipv6" : "ipv4") : null;
    const prefix = bits === undefined ? undefined : Number(bits);
    const max = family === "ipv6" ? 128 : 32;
    if (
      !address ||
      !family ||
      rest.length > 0 ||
      (prefix !== undefined && !(Number.isInteger(prefix) && prefix >= 0 && prefix <= max))
    )
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, prefix, family);
  }
  return list;
}

function trusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/** The client's address: the socket peer, or the nearest untrusted hop when the peer is a trusted proxy. */
export function clientAddress(headers: Headers, trustedProxies: BlockList | null): string | null {
  const peer = normalizeAddress(headers.get(PEER_HEADER));
  if (!peer || !trustedProxies || !trusted(trustedProxies, peer)) return peer;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((hop) => hop.trim());
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normalizeAddress(hops[i]);
    // A hop that is not an address ends the walk: what came before it cannot be believed.
    if (!hop) break;
    client = hop;
    if (!trusted(trustedProxies, hop)) break;
  }
  return client;
}
