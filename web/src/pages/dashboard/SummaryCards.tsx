// The range's totals at a glance: each card a named group (value + detail),
// so a screen reader reads "Requests, 1,234, 12 errors".
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatMs, formatNumber, formatUsd } from '../../components/format';
import { errorRate } from './rates';
import type { StatsAnswer } from './stats-shapes';

function Card({ label, value, detail }: { label: string; value: ReactNode; detail?: ReactNode }) {
  const id = useId();
  return (
    <div className="card dash-card" role="group" aria-labelledby={id}>
      <div id={id} className="muted">
        {label}
      </div>
      <div className="stat-value">{value}</div>
      {detail && <div className="muted dash-card-detail">{detail}</div>}
    </div>
  );
}

export function SummaryCards({ stats }: { stats: StatsAnswer }) {
  const { t, i18n } = useTranslation('dashboard');
  const num = (n: number) => formatNumber(n, i18n.language);
  const { totals, latency } = stats;
  return (
    <div className="cards dash-cards">
      <Card label={t('cards.requests')} value={num(totals.requests)} />
      <Card label={t('cards.errors')} value={num(totals.errors)} detail={t('cards.errorRate', { rate: errorRate(totals.errors, totals.requests) })} />
      <Card label={t('cards.cost')} value={formatUsd(totals.cost_usd)} />
      <Card
        label={t('cards.latency')}
        value={formatMs(latency.avg_ms)}
        detail={latency.samples > 0 ? t('cards.latencyDetail', { p50: formatMs(latency.p50_ms), p95: formatMs(latency.p95_ms), firstByte: formatMs(latency.first_byte_avg_ms) }) : t('cards.noLatency')}
      />
      <Card label={t('cards.tokens')} value={num(totals.total_tokens)} detail={t('cards.tokensDetail', { input: num(totals.input_tokens), output: num(totals.output_tokens) })} />
      <Card label={t('cards.images')} value={num(totals.images)} />
    </div>
  );
}
