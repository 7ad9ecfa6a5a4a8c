// The scheduled test of channels the gateway set aside (status
// 'auto_disabled'): each gets the same probe as `POST /api/channels/{id}/test`
// and comes back when it passes. Channels an operator disabled are left
// alone, and so is a channel whose status changed while it was being tested.
import type { ChannelTestResult } from '../admin/channel-test.js';
import type { Channel } from '../store/entities.js';
import type { ChannelsRepo } from '../store/repositories.js';

export interface ChannelRetestDeps {
  channels: Pick<ChannelsRepo, 'list' | 'get' | 'update'>;
  /** The admin API's channel test, bound to the gateway's providers. */
  test: (channel: Channel) => Promise<ChannelTestResult>;
  /** Channels tested at once (default 4): a few slow upstreams must not hold up the rest. */
  concurrency?: number;
}

export interface ChannelRetestResult {
  tested: number;
  reenabled: Array<{ id: number; name: string; message: string }>;
  failed: Array<{ id: number; name: string; message: string }>;
}

export async function retestAutoDisabledChannels(deps: ChannelRetestDeps): Promise<ChannelRetestResult> {
  const waiting = (await deps.channels.list()).filter((c) => c.status === 'auto_disabled');
  const result: ChannelRetestResult = { tested: 0, reenabled: [], failed: [] };
  const concurrency = Math.max(1, Math.floor(deps.concurrency ?? 4));
  let next = 0;

  const retestOne = async (channel: Channel) => {
    let outcome: ChannelTestResult;
    try {
      outcome = await deps.test(channel);
    } catch (err) {
      // testChannel reports upstream failures itself; this is a bug or a dead provider.
      outcome = { ok: false, status: 0, latency_ms: 0, message: err instanceof Error ? err.message : String(err), model: null };
    }
    result.tested++;
    if (!outcome.ok) {
      result.failed.push({ id: channel.id, name: channel.name, message: outcome.message });
      return;
    }
    try {
      // Read again just before writing: an operator may have disabled, enabled or deleted it meanwhile.
      const now = await deps.channels.get(channel.id);
      if (now?.status !== 'auto_disabled') return;
      await deps.channels.update(channel.id, { status: 'enabled', statusReason: null });
      result.reenabled.push({ id: channel.id, name: channel.name, message: outcome.message });
    } catch (err) {
      result.failed.push({ id: channel.id, name: channel.name, message: `passed, but could not be re-enabled: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  const worker = async () => {
    while (next < waiting.length) await retestOne(waiting[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, waiting.length) }, worker));
  return result;
}
