// Which IP addresses a server-side fetch may reach: public unicast only.
// Loopback, private, link-local (the cloud metadata service at
// 169.254.169.254), CGNAT, multicast and reserved ranges are refused, in IPv4
// and in every IPv6 form that embeds an IPv4 address.
import { isIPv4, isIPv6 } from 'node:net';

// [network, prefix length] in IPv4.
const BLOCKED_V4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

function v4Number(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

const BLOCKED_V4_RANGES = BLOCKED_V4.map(([net, bits]) => {
  const size = 2 ** (32 - bits);
  const start = Math.floor(v4Number(net) / size) * size;
  return [start, start + size] as const;
});

function blockedV4(n: number): boolean {
  return BLOCKED_V4_RANGES.some(([start, end]) => n >= start && n < end);
}

/** The 16 bytes of an IPv6 address (zone id dropped, embedded dotted IPv4 allowed); undefined if malformed. */
export function ipv6Bytes(ip: string): Uint8Array | undefined {
  let text = ip.replace(/^\[|\]$/g, '');
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!isIPv6(text)) return undefined;
  const words: number[] = [];
  const halves = text.split('::');
  const parse = (side: string): number[] => {
    if (side === '') return [];
    const out: number[] = [];
    for (const piece of side.split(':')) {
      if (piece.includes('.')) {
        const n = v4Number(piece);
        out.push(Math.floor(n / 65536), n % 65536);
      } else {
        out.push(parseInt(piece, 16));
      }
    }
    return out;
  };
  const head = parse(halves[0] ?? '');
  const tail = halves.length > 1 ? parse(halves[1] ?? '') : [];
  words.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  const bytes = new Uint8Array(16);
  words.forEach((w, i) => {
    bytes[i * 2] = w >> 8;
    bytes[i * 2 + 1] = w & 0xff;
  });
  return bytes;
}

function v4At(b: Uint8Array, offset: number): number {
  return (((b[offset] ?? 0) * 256 + (b[offset + 1] ?? 0)) * 256 + (b[offset + 2] ?? 0)) * 256 + (b[offset + 3] ?? 0);
}

function allZero(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}

function blockedV6(b: Uint8Array): boolean {
  const b0 = b[0] ?? 0;
  const b1 = b[1] ?? 0;
  // ::/96 (unspecified, loopback, IPv4-compatible) and ::ffff:0:0/96 (IPv4-mapped): judge the IPv4 inside.
  if (allZero(b, 0, 10) && ((b[10] === 0 && b[11] === 0) || (b[10] === 0xff && b[11] === 0xff))) return blockedV4(v4At(b, 12));
  // 64:ff9b::/96 NAT64 embeds an IPv4; 64:ff9b:1::/48 is local-use NAT64.
  if (b0 === 0x00 && b1 === 0x64 && b[2] === 0xff && b[3] === 0x9b) {
    return allZero(b, 4, 12) ? blockedV4(v4At(b, 12)) : true;
  }
  if (b0 === 0x20 && b1 === 0x02) return blockedV4(v4At(b, 2)); // 6to4
  if ((b0 & 0xfe) === 0xfc) return true; // fc00::/7 unique local
  if (b0 === 0xfe && (b1 & 0xc0) === 0x80) return true; // fe80::/10 link-local
  if (b0 === 0xfe && (b1 & 0xc0) === 0xc0) return true; // fec0::/10 old site-local
  if (b0 === 0xff) return true; // multicast
  return false;
}

/** True when a fetch must not reach this address (also for anything that is not an IP address). */
export function isBlockedAddress(ip: string): boolean {
  if (isIPv4(ip)) return blockedV4(v4Number(ip));
  const bytes = ipv6Bytes(ip);
  return bytes ? blockedV6(bytes) : true;
}
