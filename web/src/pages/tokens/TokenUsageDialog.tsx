// What one token has used: spent and left (from the token itself), requests
// on record (the logs' total for it), last use, and a link to its logs.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Page } from '../../api/client';
import { useApi } from '../../api/use-api';
import { Dialog } from '../../components/Dialog';
import { formatNumber, formatTime, formatUsd } from '../../components/format';
import { ErrorNotice } from '../../components/Notice';
import type { TokenView } from './token-shapes';

export function TokenUsageDialog({ token, onClose }: { token: TokenView; onClose: () => void }) {
  const { t, i18n } = useTranslation('tokens');
  // page_size=1: only the total is wanted.
  const logs = useApi((api) => api.get<Page<unknown>>('/api/logs', { token_id: token.id, page_size: 1 }), [token.id]);
  const stats: Array<[string, string]> = [
    [t('usage.spent'), formatUsd(token.used_quota_usd)],
    [t('usage.left'), token.unlimited_quota ? t('common:unlimited') : formatUsd(token.remain_quota_usd)],
    [t('usage.requests'), logs.data ? formatNumber(logs.data.total, i18n.language) : logs.error ? '–' : '…'],
    [t('usage.lastUsed'), token.accessed_time > 0 ? formatTime(token.accessed_time * 1000) : t('usage.never')],
  ];
  return (
    <Dialog title={t('usage.title', { name: token.name })} onClose={onClose}>
      <dl className="cards token-usage">
        {stats.map(([label, value]) => (
          <div className="card" key={label}>
            <dt className="muted">{label}</dt>
            <dd className="stat-value">{value}</dd>
          </div>
        ))}
      </dl>
      <ErrorNotice error={logs.error} />
      {!token.unlimited_quota && <p className="muted">{t('usage.total', { total: formatUsd(token.quota_usd) })}</p>}
      <p className="muted">{t('usage.requestsHint')}</p>
      <p>
        <Link to={`/logs?token_id=${token.id}`}>{t('usage.viewLogs')}</Link>
      </p>
    </Dialog>
  );
}
