// Setting a failed key aside: a key the upstream refuses (bad key) or that is
// out of credit is marked auto_disabled with the reason, in the database. The
// repository publishes the change, so every node's cache drops the key; the
// other keys of the channel keep serving. Runs off the request path.
import type { ChannelsRepo } from '../store/repositories.js';
import type { Channel, ChannelKey } from '../store/entities.js';

export interface SetAsideEvent {
  channelId: number;
  keyId: number;
  reason: string;
}

export interface KeySetAsideOptions {
  /** Called once the key is stored as set aside (for logs and metrics). */
  onSetAside?: (ev: SetAsideEvent) => void;
  /** The write failed (the breaker still keeps the key out here); default: one line on stderr. */
  onError?: (err: unknown, ev: SetAsideEvent) => void;
}

const REASON_LIMIT = 500;

export class KeySetAside {
  readonly #repo: Pick<ChannelsRepo, 'setKeyStatus'>;
  readonly #opts: KeySetAsideOptions;
  /** Writes in flight, by key id. */
  readonly #pending = new Map<number, Promise<boolean>>();
  /**
   * Key objects already set aside. The cache replaces a channel's objects when
   * the change lands, so a request still holding the old one is not written
   * twice, while a key an operator enables again (a new object) can be set
   * aside again.
   */
  readonly #done = new WeakSet<ChannelKey>();

  constructor(repo: Pick<ChannelsRepo, 'setKeyStatus'>, opts: KeySetAsideOptions = {}) {
    this.#repo = repo;
    this.#opts = opts;
  }

  /**
   * Marks the key auto_disabled with the reason, once. Resolves true when this
   * call wrote to the store (which changes the key only while it is still
   * enabled there); false when it was not enabled, already set aside or being
   * set aside here, or the write failed. Never rejects: fire and forget.
   */
  setAside(channel: Channel, key: ChannelKey, reason: string): Promise<boolean> {
    if (key.status !== 'enabled' || this.#done.has(key)) return Promise.resolve(false);
    const pending = this.#pending.get(key.id);
    if (pending) return pending.then(() => false);
    const ev: SetAsideEvent = { channelId: channel.id, keyId: key.id, reason: storedReason(reason, key.key) };
    const write = this.#write(key, ev).finally(() => this.#pending.delete(key.id));
    this.#pending.set(key.id, write);
    return write;
  }

  /** True while this key's write is in flight or after it was stored (for this key object). */
  isSetAside(key: ChannelKey): boolean {
    return this.#done.has(key) || this.#pending.has(key.id);
  }

  async #write(key: ChannelKey, ev: SetAsideEvent): Promise<boolean> {
    try {
      // Only from `enabled`: another node may have set it aside first, or an operator disabled it by hand.
      await this.#repo.setKeyStatus(key.id, 'auto_disabled', ev.reason, 'enabled');
    } catch (err) {
      (this.#opts.onError ?? defaultOnError)(err, ev);
      return false;
    }
    this.#done.add(key);
    try {
      this.#opts.onSetAside?.(ev);
    } catch (err) {
      (this.#opts.onError ?? defaultOnError)(err, ev);
    }
    return true;
  }
}

/** The reason as stored: one line, bounded, and never the key itself (some upstreams echo it). */
export function storedReason(reason: string, secret: string): string {
  let text = String(reason ?? '').replace(/\s+/g, ' ').trim() || 'set aside';
  if (secret.length >= 8) text = text.split(secret).join(`…${secret.slice(-4)}`);
  return text.length > REASON_LIMIT ? `${text.slice(0, REASON_LIMIT - 1)}…` : text;
}

function defaultOnError(err: unknown, ev: SetAsideEvent): void {
  console.error(`[waystation] could not set key ${ev.keyId} of channel ${ev.channelId} aside: ${err instanceof Error ? err.message : String(err)}`);
}
