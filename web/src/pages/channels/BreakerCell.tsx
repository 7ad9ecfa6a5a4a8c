// A channel's live circuit-breaker state (its own and its keys'), in words:
// "open · probe in 12 s", never by colour alone.
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../components/format';
import type { BreakerSnapshot, ChannelView } from './types';

const TONE = { closed: 'ok', half_open: 'warn', open: 'err' } as const;

function cooldownSeconds(b: BreakerSnapshot, now: number): number | undefined {
  if (b.state !== 'open' || b.opened_until === null) return undefined;
  return Math.max(0, Math.ceil((b.opened_until - now) / 1000));
}

export function BreakerCell({ channel, now }: { channel: ChannelView; now: number }) {
  const { t } = useTranslation('channels');
  const own = channel.breaker;
  const state = own?.state ?? 'closed';
  const cooldown = own ? cooldownSeconds(own, now) : undefined;
  const keysTripped = channel.key_breakers.filter((k) => k.state !== 'closed').length;
  return (
    <span className="breaker">
      <span className={`badge breaker-${TONE[state]}`}>{t(`breaker.${state}`)}</span>
      {cooldown !== undefined && <span className="muted"> {t('breaker.cooldown', { seconds: cooldown })}</span>}
      {keysTripped > 0 && <span className="muted"> {t('breaker.keysTripped', { count: keysTripped })}</span>}
    </span>
  );
}

/** The newest error a breaker saw on the channel or its keys, else the reason it was disabled. */
export function LastErrorCell({ channel }: { channel: ChannelView }) {
  const errors = [channel.breaker, ...channel.key_breakers].flatMap((b) => (b?.last_error ? [b.last_error] : []));
  const last = errors.sort((a, b) => b.at - a.at)[0];
  if (last) {
    return (
      <span className="last-error" title={last.reason}>
        {last.reason} <small className="muted">{formatTime(last.at)}</small>
      </span>
    );
  }
  if (channel.status_reason) return <span className="last-error">{channel.status_reason}</span>;
  return <span className="muted">–</span>;
}
