// One step of the failover loop: may this candidate channel take the request,
// and with which key? Asks the breakers and the key rotation together, so a
// half-open probe slot is only ever taken for the key actually used.
import type { Channel, ChannelKey } from '../store/entities.js';
import type { BreakerBoard } from './circuit-breaker.js';
import { pickChannelKey } from './keys.js';
import type { KeyPicker } from './keys.js';

export type Admission =
  | { key: ChannelKey; skipped?: undefined }
  /** channel_open: the channel's breaker; keys_open: every enabled key's breaker; no_key: no enabled key at all. */
  | { key?: undefined; skipped: 'channel_open' | 'keys_open' | 'no_key' };

export function admit(board: BreakerBoard, channel: Channel, now: number = Date.now(), picker?: KeyPicker): Admission {
  const allow = (k: ChannelKey) => board.allow(channel.id, k.id, now);
  const key = picker ? picker.pick(channel, allow) : pickChannelKey(channel, allow);
  if (key) return { key };
  if (!channel.keys.some((k) => k.status === 'enabled')) return { skipped: 'no_key' };
  return { skipped: board.wouldAllow(channel.id, null, now) ? 'keys_open' : 'channel_open' };
}
