// Dashboard: requests, errors, cost, latency and tokens over the last 24 hours
// (by hour) or 7 / 30 days (by UTC day), the busiest models and tokens, and —
// for admins — the channels' circuit breakers. /api/stats scopes a plain user
// to their own usage. The range is in the URL (?range=24h) so it can be shared.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { formatNumber } from '../../components/format';
import { ErrorNotice } from '../../components/Notice';
import { ChannelHealth } from './ChannelHealth';
import { DEFAULT_RANGE, fillSeries, isRangeKey, RANGE_KEYS, rangeFor, type RangeKey } from './ranges';
import type { StatsAnswer } from './stats-shapes';
import { SummaryCards } from './SummaryCards';
import { TopTables } from './TopTables';
import { UsageCharts } from './UsageCharts';
import './dashboard.css';

export function DashboardPage() {
  const { t, i18n } = useTranslation('dashboard');
  const { isAdmin } = useSession();
  const [params, setParams] = useSearchParams();
  const asked = params.get('range');
  const rangeKey: RangeKey = isRangeKey(asked) ? asked : DEFAULT_RANGE;
  const [refresh, setRefresh] = useState(0);
  // Recomputed on a range change or a refresh, so "the last 24 hours" moves on.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const range = useMemo(() => rangeFor(rangeKey, Date.now()), [rangeKey, refresh]);

  const stats = useApi(
    (a) => a.get<StatsAnswer>('/api/stats', { from: range.from, to: range.to, bucket: range.bucket }),
    [range.from, range.to, range.bucket],
  );
  const current = stats.data && stats.data.from === range.from && stats.data.to === range.to ? stats.data : undefined;
  const points = useMemo(() => (current ? fillSeries(current.series, range) : []), [current, range]);

  const pick = (key: RangeKey) => {
    const next = new URLSearchParams(params);
    next.set('range', key);
    setParams(next, { replace: true });
  };

  return (
    <section className="dash-page" aria-labelledby="dash-title">
      <div className="dash-head">
        <div>
          <h1 id="dash-title">{t('title')}</h1>
          <p className="muted dash-scope">{isAdmin ? t('scopeAll') : t('scopeOwn')}</p>
        </div>
        <div className="toolbar dash-toolbar">
          <fieldset className="dash-range">
            <legend>{t('range.label')}</legend>
            {RANGE_KEYS.map((key) => (
              <label key={key} className={key === rangeKey ? 'dash-range-option checked' : 'dash-range-option'}>
                <input type="radio" name="dash-range" value={key} checked={key === rangeKey} onChange={() => pick(key)} />
                {t(`range.${key}`)}
              </label>
            ))}
          </fieldset>
          <button type="button" onClick={() => setRefresh((n) => n + 1)} disabled={stats.loading}>
            {t('common:actions.refresh')}
          </button>
        </div>
      </div>

      <ErrorNotice error={stats.error} />
      <p className="visually-hidden" role="status">
        {current ? t('announce', { count: current.totals.requests, range: t(`range.${rangeKey}`), requests: formatNumber(current.totals.requests, i18n.language) }) : t('loading')}
      </p>
      {!current && !stats.error && <p className="muted">{t('loading')}</p>}

      {current && (
        <>
          <SummaryCards stats={current} />
          <UsageCharts points={points} bucket={range.bucket} latency={current.latency} />
          <p className="muted dash-note">{range.bucket === 'day' ? t('note.days') : t('note.hours')}</p>
          <TopTables stats={current} />
        </>
      )}
      {isAdmin && <ChannelHealth refresh={refresh} />}
    </section>
  );
}
