import { BlockList, isIPv4, isIPv6 } from 'node:net';

const cache = new Map<string, BlockList>();

function blockListFor(cidrs: readonly string[]): BlockList {
  const key = cidrs.join(',');
  let list = cache.get(key);
  if (!list) {
    list = new BlockList();
    for (const entry of cidrs) {
      const [addr, bits] = entry.split('/');
      if (!addr) continue;
      const type = isIPv6(addr) ? 'ipv6' : 'ipv4';
      if (bits === undefined) list.addAddress(addr, type);
      else list.addSubnet(addr, Number(bits), type);
    }
    if (cache.size > 1000) cache.clear();
    cache.set(key, list);
  }
  return list;
}

/** Whether the client address falls in one of the CIDRs (IPv4-mapped IPv6 handled). */
export function ipAllowed(ip: string, cidrs: readonly string[]): boolean {
  const plain = ip.startsWith('::ffff:') && isIPv4(ip.slice(7)) ? ip.slice(7) : ip;
  const type = isIPv6(plain) ? 'ipv6' : 'ipv4';
  try {
    return blockListFor(cidrs).check(plain, type);
  } catch {
    return false;
  }
}
