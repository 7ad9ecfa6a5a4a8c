// Channels (admin only): the list with live breaker state, filters and paging;
// create / edit in a dialog; enable, disable, test and delete from each row.
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, Page } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { DataTable, type Column } from '../../components/DataTable';
import { Dialog } from '../../components/Dialog';
import { ErrorNotice, Notice } from '../../components/Notice';
import { Pager } from '../../components/Pager';
import { StatusBadge } from '../../components/StatusBadge';
import { BreakerCell, LastErrorCell } from './BreakerCell';
import { ChannelDialog } from './ChannelDialog';
import { ChannelFilters, NO_FILTERS, type Filters } from './ChannelFilters';
import { runChannelTest } from './run-test';
import { TestResult, type TestState } from './TestResult';
import type { ChannelView, GroupItem } from './types';
import { usePoll } from './use-poll';
import './channels.css';

const PAGE_SIZE = 20;
/** How often the list (and its breaker state) is read again while visible. */
export const POLL_MS = 5_000;

type Editing = { mode: 'create' } | { mode: 'edit'; channel: ChannelView };

export function ChannelsPage() {
  const { t } = useTranslation('channels');
  const { isAdmin } = useSession();
  if (!isAdmin) {
    return (
      <>
        <h1>{t('title')}</h1>
        <Notice tone="error">{t('adminOnly')}</Notice>
      </>
    );
  }
  return <ChannelsAdmin />;
}

function ChannelsAdmin() {
  const { t } = useTranslation('channels');
  const { api } = useSession();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<ChannelView>();
  const [notice, setNotice] = useState<string>();
  const [actionError, setActionError] = useState<ApiError>();
  const [test, setTest] = useState<TestState>();

  const list = useApi(
    (a) => a.get<Page<ChannelView>>('/api/channels', { ...filters, p: page, page_size: PAGE_SIZE }),
    [filters.name, filters.type, filters.status, filters.group, filters.model, page],
  );
  const groups = useApi((a) => a.get<Page<GroupItem>>('/api/groups'), []);
  usePoll(list.reload, POLL_MS);

  const groupNames = useMemo(() => groups.data?.items.map((g) => g.name) ?? [], [groups.data]);
  const knownModels = useMemo(() => [...new Set(list.data?.items.flatMap((c) => c.models) ?? [])].sort(), [list.data]);

  const changeFilters = (f: Filters) => {
    setFilters(f);
    setPage(1);
  };
  const act = async (what: () => Promise<unknown>, done: string) => {
    setActionError(undefined);
    setNotice(undefined);
    try {
      await what();
      setNotice(done);
      list.reload();
    } catch (err) {
      setActionError(err as ApiError);
    }
  };
  const runTest = async (c: ChannelView) => {
    setTest({ name: c.name, running: true });
    const outcome = await runChannelTest(api, c.id).catch((err: Error) => ({ ok: false as const, message: err.message }));
    setTest({ name: c.name, running: false, outcome });
    list.reload();
  };

  const now = Date.now();
  const columns: Column<ChannelView>[] = [
    {
      key: 'name',
      header: t('columns.name'),
      cell: (c) => (
        <span className="channel-name">
          <strong>{c.name}</strong> <small className="muted">#{c.id}</small>
        </span>
      ),
    },
    { key: 'type', header: t('columns.type'), cell: (c) => t(`types.${c.type}`, { defaultValue: c.type }) },
    {
      key: 'status',
      header: t('columns.status'),
      cell: (c) => (
        <span>
          <StatusBadge status={c.status} />
          {c.status_reason && <small className="muted status-reason"> {c.status_reason}</small>}
        </span>
      ),
    },
    { key: 'priority', header: t('columns.priority'), numeric: true, cell: (c) => c.priority },
    { key: 'weight', header: t('columns.weight'), numeric: true, cell: (c) => c.weight },
    { key: 'models', header: t('columns.models'), numeric: true, cell: (c) => <span className="model-count" title={c.models.join(', ')}>{t('modelCount', { count: c.models.length })}</span> },
    { key: 'breaker', header: t('columns.breaker'), cell: (c) => <BreakerCell channel={c} now={now} /> },
    { key: 'error', header: t('columns.lastError'), cell: (c) => <LastErrorCell channel={c} /> },
    {
      key: 'actions',
      header: t('columns.actions'),
      cell: (c) => (
        <span className="row-actions">
          <button type="button" aria-label={t('actions.edit', { name: c.name })} onClick={() => setEditing({ mode: 'edit', channel: c })}>
            {t('common:actions.edit')}
          </button>
          <button type="button" aria-label={t('actions.test', { name: c.name })} disabled={test?.running === true && test.name === c.name} onClick={() => runTest(c)}>
            {test?.running === true && test.name === c.name ? t('actions.testing') : t('actions.testShort')}
          </button>
          {c.status === 'enabled' ? (
            <button
              type="button"
              aria-label={t('actions.disable', { name: c.name })}
              onClick={() => act(() => api.post(`/api/channels/${c.id}/disable`), t('notices.disabled', { name: c.name }))}
            >
              {t('common:actions.disable')}
            </button>
          ) : (
            <button
              type="button"
              aria-label={t('actions.enable', { name: c.name })}
              onClick={() => act(() => api.post(`/api/channels/${c.id}/enable`), t('notices.enabled', { name: c.name }))}
            >
              {t('common:actions.enable')}
            </button>
          )}
          <button type="button" className="danger" aria-label={t('actions.delete', { name: c.name })} onClick={() => setDeleting(c)}>
            {t('common:actions.delete')}
          </button>
        </span>
      ),
    },
  ];

  return (
    <div className="channels-page">
      <div className="page-head">
        <h1>{t('title')}</h1>
        <button
          type="button"
          className="primary"
          onClick={() => {
            setNotice(undefined);
            setEditing({ mode: 'create' });
          }}
        >
          {t('create')}
        </button>
      </div>
      <ChannelFilters value={filters} onChange={changeFilters} groups={groupNames} />
      <div role="status" className="page-status">
        {notice && <p className="notice notice-success">{notice}</p>}
      </div>
      <ErrorNotice error={actionError} />
      <TestResult state={test} />
      <ErrorNotice error={list.error} />
      <DataTable
        caption={t('caption')}
        columns={columns}
        rows={list.data?.items}
        rowKey={(c) => c.id}
        loading={list.loading}
        onOpen={(c) => setEditing({ mode: 'edit', channel: c })}
      />
      {list.data && <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />}
      <p className="muted live-note">{t('liveNote')}</p>

      {editing && (
        <ChannelDialog
          key={editing.mode === 'edit' ? editing.channel.id : 'new'}
          channel={editing.mode === 'edit' ? editing.channel : undefined}
          groups={groupNames}
          knownModels={knownModels}
          onClose={() => setEditing(undefined)}
          onChanged={list.reload}
          onSaved={(c, created) => {
            setEditing(undefined);
            setNotice(t(created ? 'notices.created' : 'notices.saved', { name: c.name }));
            list.reload();
          }}
        />
      )}
      {deleting && (
        <Dialog
          title={t('deleteTitle')}
          onClose={() => setDeleting(undefined)}
          footer={
            <>
              <button type="button" onClick={() => setDeleting(undefined)}>
                {t('common:actions.cancel')}
              </button>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  const c = deleting;
                  setDeleting(undefined);
                  void act(() => api.delete(`/api/channels/${c.id}`), t('notices.deleted', { name: c.name }));
                }}
              >
                {t('common:actions.delete')}
              </button>
            </>
          }
        >
          <p>{t('common:actions.confirmDelete', { name: deleting.name })}</p>
        </Dialog>
      )}
    </div>
  );
}
