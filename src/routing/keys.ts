// Which of a channel's keys serves the next request: round robin by default,
// random with `settings.key_rotation: random`; keys that are not enabled, or
// that the caller's filter refuses (an open breaker), are skipped.
import type { Channel, ChannelKey } from '../store/entities.js';

/** Says whether a key may take this request; called only until one says yes. */
export type KeyFilter = (key: ChannelKey) => boolean;

export type KeyRotation = 'round_robin' | 'random';

export function keyRotation(channel: Channel): KeyRotation {
  return channel.settings?.key_rotation === 'random' ? 'random' : 'round_robin';
}

export class KeyPicker {
  /** Next round-robin position per channel id (kept across cache reloads of the channel). */
  readonly #cursors = new Map<number, number>();
  /** Enabled keys per channel object: the cache replaces the object when keys change. */
  readonly #enabled = new WeakMap<Channel, readonly ChannelKey[]>();

  constructor(private readonly random: () => number = Math.random) {}

  /**
   * The next key for this channel, or undefined when none is enabled and
   * allowed. `allow` may have side effects (a breaker's probe slot): it is
   * called at most once per key, and the key it last said yes to is the one
   * returned.
   */
  pick(channel: Channel, allow?: KeyFilter): ChannelKey | undefined {
    const keys = this.#enabledKeys(channel);
    if (keys.length === 0) return undefined;
    return keyRotation(channel) === 'random' ? this.#pickRandom(keys, allow) : this.#pickNext(channel.id, keys, allow);
  }

  #pickNext(channelId: number, keys: readonly ChannelKey[], allow: KeyFilter | undefined): ChannelKey | undefined {
    const start = (this.#cursors.get(channelId) ?? 0) % keys.length;
    for (let i = 0; i < keys.length; i++) {
      const at = (start + i) % keys.length;
      const key = keys[at]!;
      if (allow && !allow(key)) continue;
      this.#cursors.set(channelId, (at + 1) % keys.length);
      return key;
    }
    return undefined;
  }

  // Tries keys in a random order (a lazy shuffle), so each allowed key is equally likely.
  #pickRandom(keys: readonly ChannelKey[], allow: KeyFilter | undefined): ChannelKey | undefined {
    if (!allow) return keys[Math.floor(this.random() * keys.length)]!;
    const order = keys.slice();
    for (let i = 0; i < order.length; i++) {
      const j = i + Math.floor(this.random() * (order.length - i));
      const key = order[j]!;
      order[j] = order[i]!;
      order[i] = key;
      if (allow(key)) return key;
    }
    return undefined;
  }

  #enabledKeys(channel: Channel): readonly ChannelKey[] {
    let keys = this.#enabled.get(channel);
    if (!keys) {
      keys = (Array.isArray(channel.keys) ? channel.keys : []).filter((k) => k.status === 'enabled');
      this.#enabled.set(channel, keys);
    }
    return keys;
  }
}

const shared = new KeyPicker();

/** The next key entry (id, key, status) for this channel, skipping keys `allow` refuses. */
export function pickChannelKey(channel: Channel, allow?: KeyFilter): ChannelKey | undefined {
  return shared.pick(channel, allow);
}

/** The next key's secret for this channel; undefined when none is enabled and allowed. */
export function pickKey(channel: Channel, allow?: KeyFilter): string | undefined {
  return shared.pick(channel, allow)?.key;
}
