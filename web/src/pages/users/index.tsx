// Users (admins): list and search, create (the access key is shown once),
// edit, top up, enable / disable, a new access key, delete. Actions the
// server would refuse (root's, your own disable / delete, another admin's
// for a non-root admin) are not offered.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Page } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { DataTable, type Column } from '../../components/DataTable';
import { formatUsd } from '../../components/format';
import { ErrorNotice, Notice } from '../../components/Notice';
import { Pager } from '../../components/Pager';
import { StatusBadge } from '../../components/StatusBadge';
import { ConfirmDialog } from '../tokens/ConfirmDialog';
import { useLimitsSummary } from '../tokens/limits';
import { SearchForm } from '../tokens/SearchForm';
import { AccessKeyShown, RegenerateKeyDialog } from './AccessKeyDialog';
import { TopUpDialog } from './TopUpDialog';
import { UserFormDialog } from './UserFormDialog';
import type { UserView } from './user-shapes';
import './users.css';

const PAGE_SIZE = 20;

type Open =
  | { kind: 'create' }
  | { kind: 'created'; user: UserView; accessKey: string }
  | { kind: 'edit'; user: UserView }
  | { kind: 'topup'; user: UserView }
  | { kind: 'key'; user: UserView }
  | { kind: 'delete'; user: UserView };

export function UsersPage() {
  const { t } = useTranslation('users');
  const { api, user: me, isAdmin } = useSession();
  const limitsSummary = useLimitsSummary();
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Open | undefined>();
  const [announce, setAnnounce] = useState('');
  const [actionError, setActionError] = useState<Error | undefined>();
  const list = useApi((a) => a.get<Page<UserView>>('/api/users', { keyword: search, p: page, page_size: PAGE_SIZE }), [search, page]);

  if (!isAdmin) return <Notice tone="error">{t('adminOnly')}</Notice>;

  const manageable = (u: UserView) => u.id === me.id || me.role === 'root' || u.role === 'user';
  const done = (message: string) => {
    setOpen(undefined);
    setAnnounce(message);
    list.reload();
  };
  const setStatus = async (u: UserView, action: 'enable' | 'disable') => {
    setActionError(undefined);
    setAnnounce('');
    try {
      await api.post(`/api/users/${u.id}/${action}`);
      done(t(action === 'enable' ? 'announce.enabled' : 'announce.disabled', { name: u.username }));
    } catch (err) {
      setActionError(err as Error);
    }
  };

  const columns: Column<UserView>[] = [
    {
      key: 'name',
      header: t('col.name'),
      cell: (u) => (
        <>
          <strong>{u.username}</strong>
          {u.display_name && u.display_name !== u.username && <div className="muted">{u.display_name}</div>}
        </>
      ),
    },
    { key: 'role', header: t('col.role'), cell: (u) => t(`role.${u.role}`) },
    { key: 'group', header: t('col.group'), cell: (u) => u.group },
    { key: 'status', header: t('col.status'), cell: (u) => <StatusBadge status={u.status_name} /> },
    { key: 'balance', header: t('col.balance'), numeric: true, cell: (u) => (u.unlimited ? t('common:unlimited') : formatUsd(u.balance_usd)) },
    { key: 'used', header: t('col.used'), numeric: true, cell: (u) => formatUsd(u.used_usd) },
    { key: 'limits', header: t('col.limits'), cell: (u) => limitsSummary(u.limits) || '–' },
    {
      key: 'actions',
      header: t('col.actions'),
      cell: (u) =>
        manageable(u) && (
          <div className="row-actions">
            <button type="button" onClick={() => setOpen({ kind: 'edit', user: u })} aria-label={t('rowAction.edit', { name: u.username })}>
              {t('common:actions.edit')}
            </button>
            <Link to={`/tokens?user_id=${u.id}`} aria-label={t('rowAction.tokens', { name: u.username })}>
              {t('tokensLink')}
            </Link>
            {!u.unlimited && (
              <button type="button" onClick={() => setOpen({ kind: 'topup', user: u })} aria-label={t('rowAction.topUp', { name: u.username })}>
                {t('topUp.button')}
              </button>
            )}
            {u.role !== 'root' && u.id !== me.id && (
              <>
                {u.status_name === 'disabled' ? (
                  <button type="button" onClick={() => setStatus(u, 'enable')} aria-label={t('rowAction.enable', { name: u.username })}>
                    {t('common:actions.enable')}
                  </button>
                ) : (
                  <button type="button" onClick={() => setStatus(u, 'disable')} aria-label={t('rowAction.disable', { name: u.username })}>
                    {t('common:actions.disable')}
                  </button>
                )}
              </>
            )}
            {u.role !== 'root' && (
              <button type="button" onClick={() => setOpen({ kind: 'key', user: u })} aria-label={t('rowAction.key', { name: u.username })}>
                {t('accessKey.button')}
              </button>
            )}
            {u.role !== 'root' && u.id !== me.id && (
              <button type="button" className="danger" onClick={() => setOpen({ kind: 'delete', user: u })} aria-label={t('rowAction.delete', { name: u.username })}>
                {t('common:actions.delete')}
              </button>
            )}
          </div>
        ),
    },
  ];

  return (
    <section aria-labelledby="users-title" className="users-page">
      <h1 id="users-title">{t('title')}</h1>
      <div className="toolbar">
        <SearchForm
          label={t('search')}
          hint={t('searchHint')}
          onSearch={(text) => {
            setPage(1);
            setSearch(text);
          }}
        />
        <button type="button" className="primary" onClick={() => setOpen({ kind: 'create' })}>
          {t('create')}
        </button>
      </div>
      {announce && <Notice tone="success">{announce}</Notice>}
      <ErrorNotice error={list.error} />
      <ErrorNotice error={actionError} />
      <DataTable caption={t('caption')} columns={columns} rows={list.data?.items} rowKey={(u) => u.id} loading={list.loading} />
      {list.data && <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />}

      {open?.kind === 'create' && (
        <UserFormDialog
          onClose={() => setOpen(undefined)}
          onSaved={(u) => {
            setOpen({ kind: 'created', user: u, accessKey: u.access_key ?? '' });
            setAnnounce(t('announce.created', { name: u.username }));
            list.reload();
          }}
        />
      )}
      {open?.kind === 'created' && <AccessKeyShown created name={open.user.username} accessKey={open.accessKey} onClose={() => setOpen(undefined)} />}
      {open?.kind === 'edit' && (
        <UserFormDialog user={open.user} onClose={() => setOpen(undefined)} onSaved={(u) => done(t('announce.saved', { name: u.username }))} />
      )}
      {open?.kind === 'topup' && (
        <TopUpDialog
          user={open.user}
          onClose={() => setOpen(undefined)}
          onDone={(u) => done(t('announce.toppedUp', { name: u.username, balance: formatUsd(u.balance_usd) }))}
        />
      )}
      {open?.kind === 'key' && <RegenerateKeyDialog user={open.user} onClose={() => setOpen(undefined)} />}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('deleteTitle')}
          confirmLabel={t('common:actions.delete')}
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await api.delete(`/api/users/${open.user.id}`);
            done(t('announce.deleted', { name: open.user.username }));
          }}
        >
          <p>{t('common:actions.confirmDelete', { name: open.user.username })}</p>
          <p className="muted">{t('deleteHint')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
