import type { Channel } from '../store/entities.js';

const cursors = new WeakMap<Channel, number>();

/** Round-robin over the channel's enabled keys; undefined when none is left. */
export function pickKey(channel: Channel): string | undefined {
  const enabled = channel.keys.filter((k) => k.status === 'enabled');
  if (enabled.length === 0) return undefined;
  const n = cursors.get(channel) ?? 0;
  cursors.set(channel, n + 1);
  return enabled[n % enabled.length]!.key;
}
