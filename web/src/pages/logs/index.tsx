// Usage logs: every relayed request, newest first, filtered by token, model,
// channel (admins), status and time, paged; a row opens its full record.
// Filters and page live in the URL query so a view can be shared as a link.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Page } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { DataTable, type Column } from '../../components/DataTable';
import { formatMs, formatNumber, formatTime, formatUsd } from '../../components/format';
import { ErrorNotice } from '../../components/Notice';
import { Pager } from '../../components/Pager';
import { filtersFrom, pageFrom, paramsFor, type LogFilters } from './filters';
import { LogDialog } from './LogDialog';
import { LogFiltersForm } from './LogFiltersForm';
import { inputTokens, outputTokens, type LogRow } from './log-shapes';
import { StatusCode } from './StatusCode';
import { useChannelNames } from './use-channel-names';
import './logs.css';

const PAGE_SIZE = 20;

export function LogsPage() {
  const { t, i18n } = useTranslation('logs');
  const { isAdmin } = useSession();
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const filters = useMemo(() => filtersFrom(params), [search]);
  const page = pageFrom(params);
  const { channels, nameOf } = useChannelNames();
  const [open, setOpen] = useState<LogRow | undefined>();
  const num = (n: number) => formatNumber(n, i18n.language);

  const list = useApi((a) => a.get<Page<LogRow>>('/api/logs', { ...filters, p: page, page_size: PAGE_SIZE }), [search]);

  const apply = (next: LogFilters, nextPage = 1) => setParams(paramsFor(next, nextPage));

  const columns: Column<LogRow>[] = [
    { key: 'time', header: t('col.time'), cell: (r) => <span className="logs-nowrap">{formatTime(r.created_at)}</span> },
    { key: 'token', header: t('col.token'), cell: (r) => r.token_name ?? '–' },
    {
      key: 'model',
      header: t('col.model'),
      cell: (r) =>
        r.model_served && r.model_served !== r.model_requested ? (
          <span>
            {r.model_requested ?? '–'} <span aria-hidden="true">→</span>
            <span className="visually-hidden">{t('col.servedAs')}</span> {r.model_served}
          </span>
        ) : (
          (r.model_requested ?? '–')
        ),
    },
    ...(isAdmin ? [{ key: 'channel', header: t('col.channel'), cell: (r: LogRow) => nameOf(r.channel_id) }] : []),
    { key: 'status', header: t('col.status'), cell: (r) => <StatusCode status={r.status} /> },
    { key: 'tokens', header: t('col.tokens'), numeric: true, cell: (r) => <span className="logs-nowrap">{t('tokensCell', { input: num(inputTokens(r)), output: num(outputTokens(r)) })}</span> },
    { key: 'images', header: t('col.images'), numeric: true, cell: (r) => (r.image_count > 0 ? num(r.image_count) : '–') },
    { key: 'cost', header: t('col.cost'), numeric: true, cell: (r) => formatUsd(r.cost_usd) },
    {
      key: 'latency',
      header: t('col.latency'),
      numeric: true,
      cell: (r) => (
        <span className="logs-nowrap">
          {formatMs(r.latency_ms)}
          {r.first_byte_ms !== null && <small className="muted"> / {formatMs(r.first_byte_ms)}</small>}
        </span>
      ),
    },
  ];

  return (
    <section className="logs-page" aria-labelledby="logs-title">
      <div className="logs-head">
        <h1 id="logs-title">{t('title')}</h1>
        <button type="button" onClick={list.reload} disabled={list.loading}>
          {t('common:actions.refresh')}
        </button>
      </div>
      <p className="muted">{isAdmin ? t('scopeAll') : t('scopeOwn')}</p>
      <LogFiltersForm value={filters} channels={channels} onApply={(f) => apply(f)} />
      <ErrorNotice error={list.error} />
      <p className="visually-hidden" role="status">
        {list.data ? t('announce', { count: list.data.total, total: num(list.data.total) }) : ''}
      </p>
      <DataTable caption={t('caption')} columns={columns} rows={list.data?.items} rowKey={(r) => r.id} loading={list.loading} onOpen={setOpen} />
      {list.data && <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={(p) => apply(filters, p)} />}
      <p className="muted logs-hint">{t('openHint')}</p>
      {open && <LogDialog row={open} channelName={nameOf} onClose={() => setOpen(undefined)} />}
    </section>
  );
}
