// One usage row in full: what was asked and answered, the attempt chain
// (admins only — the API leaves it out for users), and the cost breakdown.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';
import { formatMs, formatTime } from '../../components/format';
import { AttemptChain } from './AttemptChain';
import { CostBreakdown } from './CostBreakdown';
import type { LogRow } from './log-shapes';
import { StatusCode } from './StatusCode';

export function LogDialog({ row, channelName, onClose }: { row: LogRow; channelName: (id: number | null | undefined) => string; onClose: () => void }) {
  const { t } = useTranslation('logs');
  const facts: Array<[string, ReactNode]> = [
    [t('detail.time'), formatTime(row.created_at)],
    [t('detail.requestId'), <code key="id">{row.request_id}</code>],
    [t('detail.route'), row.route],
    [t('detail.token'), row.token_name ? `${row.token_name} (#${row.token_id})` : '–'],
    [t('detail.modelAsked'), row.model_requested ?? '–'],
    [t('detail.modelServed'), row.model_served ?? '–'],
    ...('channel_id' in row ? [[t('detail.channel'), channelName(row.channel_id)] as [string, ReactNode]] : []),
    [t('detail.stream'), row.is_stream ? t('detail.yes') : t('detail.no')],
    [t('detail.status'), <StatusCode key="s" status={row.status} />],
    [t('detail.latency'), formatMs(row.latency_ms)],
    [t('detail.firstByte'), formatMs(row.first_byte_ms)],
    [t('detail.clientIp'), row.client_ip ?? '–'],
  ];
  return (
    <Dialog title={t('detail.title', { id: row.id })} onClose={onClose} wide footer={<button type="button" onClick={onClose}>{t('common:actions.close')}</button>}>
      <div className="logs-detail">
      <dl className="logs-facts">
        {facts.map(([label, value]) => (
          <div key={label} className="logs-fact">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {row.error && (
        <p className="notice notice-error logs-error">
          {t('detail.error')}: {row.error}
        </p>
      )}
      {'attempts' in row && <AttemptChain attempts={row.attempts} channelName={(id) => channelName(id)} />}
      <CostBreakdown row={row} />
      </div>
    </Dialog>
  );
}
