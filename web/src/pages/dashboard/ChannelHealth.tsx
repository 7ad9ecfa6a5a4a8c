// Admins: every circuit breaker that has seen traffic since the gateway
// started (a channel's own and its keys'), tripped ones first, with the last
// error each saw. States are words in a badge, not colours.
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/use-api';
import { DataTable, type Column } from '../../components/DataTable';
import { formatTime } from '../../components/format';
import { ErrorNotice } from '../../components/Notice';
import { useChannelNames } from '../logs/use-channel-names';
import type { BreakerSnapshot } from './stats-shapes';

const TONE = { closed: 'badge-ok', half_open: 'badge-warn', open: 'dash-badge-err' } as const;
const ORDER = { open: 0, half_open: 1, closed: 2 } as const;

export function ChannelHealth({ refresh }: { refresh: number }) {
  const { t } = useTranslation('dashboard');
  const { nameOf } = useChannelNames();
  const health = useApi((a) => a.get<{ items: BreakerSnapshot[] }>('/api/channels/health'), [refresh]);
  const rows = health.data?.items
    .slice()
    .sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.channel_id - b.channel_id || (a.key_id ?? 0) - (b.key_id ?? 0));

  const columns: Column<BreakerSnapshot>[] = [
    { key: 'channel', header: t('health.channel'), cell: (b) => nameOf(b.channel_id) },
    { key: 'scope', header: t('health.scope'), cell: (b) => (b.key_id === null ? t('health.wholeChannel') : t('health.key', { id: b.key_id })) },
    {
      key: 'state',
      header: t('health.state'),
      cell: (b) => (
        <>
          <span className={`badge ${TONE[b.state]}`}>{t(`health.states.${b.state}`)}</span>
          {b.state === 'open' && b.opened_until !== null && <small className="muted"> {t('health.until', { time: formatTime(b.opened_until) })}</small>}
          {b.probing && <small className="muted"> {t('health.probing')}</small>}
        </>
      ),
    },
    { key: 'window', header: t('health.window'), numeric: true, cell: (b) => t('health.windowCell', { failures: b.window_failures, requests: b.window_requests }) },
    { key: 'streak', header: t('health.streak'), numeric: true, cell: (b) => b.consecutive_failures },
    {
      key: 'error',
      header: t('health.lastError'),
      cell: (b) =>
        b.last_error ? (
          <span className="dash-last-error">
            {b.last_error.reason} <small className="muted">({b.last_error.kind}, {formatTime(b.last_error.at)})</small>
          </span>
        ) : (
          <span className="muted">–</span>
        ),
    },
  ];

  return (
    <section aria-labelledby="dash-health">
      <h2 id="dash-health">{t('health.title')}</h2>
      <p className="muted">{t('health.hint')}</p>
      <ErrorNotice error={health.error} />
      <DataTable caption={t('health.title')} columns={columns} rows={rows} rowKey={(b) => `${b.channel_id}:${b.key_id ?? 'c'}`} loading={health.loading} />
    </section>
  );
}
