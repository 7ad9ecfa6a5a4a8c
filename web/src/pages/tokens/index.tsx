// Tokens: the caller's own (admins may pick an account, or all), searched by
// name (or found by a whole key), created / edited / enabled / disabled /
// deleted, with each token's key and usage a click away.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Page } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { DataTable, type Column } from '../../components/DataTable';
import { Field } from '../../components/Field';
import { formatTime, formatUsd } from '../../components/format';
import { ErrorNotice, Notice } from '../../components/Notice';
import { Pager } from '../../components/Pager';
import { StatusBadge } from '../../components/StatusBadge';
import { ConfirmDialog } from './ConfirmDialog';
import { useLimitsSummary } from './limits';
import { SearchForm } from './SearchForm';
import { TokenFormDialog, type OwnerOption } from './TokenFormDialog';
import { TokenKeyDialog } from './TokenKeyDialog';
import type { TokenView } from './token-shapes';
import { TokenUsageDialog } from './TokenUsageDialog';
import './tokens.css';

const PAGE_SIZE = 20;
/** A whole key is searched for by key (keys are stored hashed, so no partial match). */
const WHOLE_KEY = /^sk-\S{13,}$/;

type Open =
  | { kind: 'create' }
  | { kind: 'edit'; token: TokenView }
  | { kind: 'key'; token: TokenView; created?: boolean }
  | { kind: 'usage'; token: TokenView }
  | { kind: 'delete'; token: TokenView };

interface UserRow {
  id: number;
  username: string;
  display_name: string;
}

export function TokensPage() {
  const { t } = useTranslation('tokens');
  const { api, user, isAdmin } = useSession();
  const limitsSummary = useLimitsSummary();
  const [search, setSearch] = useState('');
  // `#/tokens?user_id=N` (the users page links here) opens on that account's tokens.
  const [params] = useSearchParams();
  /** '' = mine, 'all', or a user id (admins only). */
  const [owner, setOwner] = useState(() => (isAdmin ? (params.get('user_id') ?? '') : ''));
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Open | undefined>();
  const [actionError, setActionError] = useState<Error | undefined>();
  const [announce, setAnnounce] = useState('');

  const users = useApi(
    (a) => (isAdmin ? a.get<Page<UserRow>>('/api/users', { page_size: 100 }) : Promise.resolve(undefined)),
    [isAdmin],
  );
  // The list holds the first 100 accounts; one picked by URL beyond them is read on its own.
  const picked = /^\d+$/.test(owner) ? Number(owner) : undefined;
  const pickedUser = useApi(
    (a) => (picked !== undefined && picked !== user.id ? a.get<UserRow>(`/api/users/${picked}`) : Promise.resolve(undefined)),
    [picked],
  );
  const known = [...(users.data?.items ?? [])];
  if (pickedUser.data && !known.some((u) => u.id === pickedUser.data!.id)) known.push(pickedUser.data);
  const owners: OwnerOption[] = known.map((u) => ({ id: u.id, label: u.display_name && u.display_name !== u.username ? `${u.display_name} (${u.username})` : u.username }));
  const ownerName = (id: number) => (id === user.id ? user.username : (known.find((u) => u.id === id)?.username ?? `#${id}`));

  const list = useApi(
    (a) =>
      a.get<Page<TokenView>>('/api/token/search', {
        ...(WHOLE_KEY.test(search) ? { token: search } : { keyword: search }),
        user_id: owner || undefined,
        p: page,
        page_size: PAGE_SIZE,
      }),
    [search, owner, page],
  );

  const setStatus = async (token: TokenView, status: 1 | 2) => {
    setActionError(undefined);
    setAnnounce('');
    try {
      await api.call('/api/token/', { method: 'PUT', query: { status_only: 1 }, body: { id: token.id, status } });
      setAnnounce(t(status === 1 ? 'announce.enabled' : 'announce.disabled', { name: token.name }));
      list.reload();
    } catch (err) {
      setActionError(err as Error);
    }
  };

  const showOwner = isAdmin && owner !== '';
  const columns: Column<TokenView>[] = [
    {
      key: 'name',
      header: t('col.name'),
      cell: (tk) => (
        <>
          <strong>{tk.name}</strong>
          <br />
          <code className="muted">{tk.key}</code>
        </>
      ),
    },
    ...(showOwner ? [{ key: 'owner', header: t('col.owner'), cell: (tk: TokenView) => ownerName(tk.user_id) }] : []),
    { key: 'status', header: t('col.status'), cell: (tk) => <StatusBadge status={tk.status_name} /> },
    {
      key: 'quota',
      header: t('col.quota'),
      numeric: true,
      cell: (tk) =>
        t('quotaCell', {
          used: formatUsd(tk.used_quota_usd),
          left: tk.unlimited_quota ? t('common:unlimited') : formatUsd(tk.remain_quota_usd),
        }),
    },
    {
      key: 'limits',
      header: t('col.limits'),
      cell: (tk) =>
        [tk.group && t('groupCell', { group: tk.group }), tk.model_limits_enabled && t('modelsCell', { count: tk.model_limits.split(',').length }), limitsSummary(tk.limits)]
          .filter(Boolean)
          .join(' · ') || '–',
    },
    { key: 'expires', header: t('col.expires'), cell: (tk) => (tk.expires_at === null ? t('never') : formatTime(tk.expires_at)) },
    { key: 'used', header: t('col.lastUsed'), cell: (tk) => (tk.accessed_time > 0 ? formatTime(tk.accessed_time * 1000) : t('usage.never')) },
    {
      key: 'actions',
      header: t('col.actions'),
      cell: (tk) => (
        <div className="row-actions">
          <button type="button" onClick={() => setOpen({ kind: 'edit', token: tk })} aria-label={t('rowAction.edit', { name: tk.name })}>
            {t('common:actions.edit')}
          </button>
          <button type="button" onClick={() => setOpen({ kind: 'key', token: tk })} aria-label={t('rowAction.key', { name: tk.name })}>
            {t('showKey')}
          </button>
          <button type="button" onClick={() => setOpen({ kind: 'usage', token: tk })} aria-label={t('rowAction.usage', { name: tk.name })}>
            {t('usageButton')}
          </button>
          {tk.status_name === 'disabled' ? (
            <button type="button" onClick={() => setStatus(tk, 1)} aria-label={t('rowAction.enable', { name: tk.name })}>
              {t('common:actions.enable')}
            </button>
          ) : (
            <button type="button" onClick={() => setStatus(tk, 2)} aria-label={t('rowAction.disable', { name: tk.name })}>
              {t('common:actions.disable')}
            </button>
          )}
          <button type="button" className="danger" onClick={() => setOpen({ kind: 'delete', token: tk })} aria-label={t('rowAction.delete', { name: tk.name })}>
            {t('common:actions.delete')}
          </button>
        </div>
      ),
    },
  ];

  const close = () => setOpen(undefined);

  return (
    <section className="tokens-page" aria-labelledby="tokens-title">
      <h1 id="tokens-title">{t('title')}</h1>
      <div className="toolbar">
        <SearchForm
          label={t('search')}
          hint={t('searchHint')}
          onSearch={(text) => {
            setPage(1);
            setSearch(text);
          }}
        />
        {isAdmin && (
          <Field label={t('ownerFilter')}>
            <select
              value={owner}
              onChange={(e) => {
                setOwner(e.target.value);
                setPage(1);
              }}
            >
              <option value="">{t('ownerMine')}</option>
              <option value="all">{t('ownerAll')}</option>
              {owners
                .filter((o) => o.id !== user.id)
                .map((o) => (
                  <option key={o.id} value={String(o.id)}>
                    {o.label}
                  </option>
                ))}
              {picked !== undefined && picked !== user.id && !owners.some((o) => o.id === picked) && <option value={owner}>#{owner}</option>}
            </select>
          </Field>
        )}
        <button type="button" className="primary" onClick={() => setOpen({ kind: 'create' })}>
          {t('create')}
        </button>
      </div>
      {announce && <Notice tone="success">{announce}</Notice>}
      <ErrorNotice error={list.error} />
      <ErrorNotice error={actionError} />
      <DataTable
        caption={t('caption')}
        columns={columns}
        rows={list.data?.items}
        rowKey={(tk) => tk.id}
        loading={list.loading}
        onOpen={(tk) => setOpen({ kind: 'usage', token: tk })}
      />
      {list.data && <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />}

      {open?.kind === 'create' && (
        <TokenFormDialog
          owners={isAdmin ? owners : undefined}
          defaultOwnerId={picked}
          onClose={close}
          onSaved={(tk) => {
            setOpen({ kind: 'key', token: tk, created: true });
            setAnnounce(t('announce.created', { name: tk.name }));
            list.reload();
          }}
        />
      )}
      {open?.kind === 'edit' && (
        <TokenFormDialog
          token={open.token}
          onClose={close}
          onSaved={(tk) => {
            close();
            setAnnounce(t('announce.saved', { name: tk.name }));
            list.reload();
          }}
        />
      )}
      {open?.kind === 'key' && <TokenKeyDialog token={open.token} created={open.created} onClose={close} />}
      {open?.kind === 'usage' && <TokenUsageDialog token={open.token} onClose={close} />}
      {open?.kind === 'delete' && (
        <ConfirmDialog
          title={t('deleteTitle')}
          confirmLabel={t('common:actions.delete')}
          danger
          onClose={close}
          onConfirm={async () => {
            await api.delete(`/api/token/${open.token.id}`);
            close();
            setAnnounce(t('announce.deleted', { name: open.token.name }));
            list.reload();
          }}
        >
          <p>{t('common:actions.confirmDelete', { name: open.token.name })}</p>
          <p className="muted">{t('deleteHint')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
