// Groups (admins): each has a price ratio that multiplies what its requests
// cost, and decides which channels serve its users and tokens. Create, edit,
// delete (refused while anything still uses the group).
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Page } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { DataTable, type Column } from '../../components/DataTable';
import { formatNumber } from '../../components/format';
import { ErrorNotice, Notice } from '../../components/Notice';
import { DEFAULT_GROUP, type GroupView } from '../tokens/group-options';
import { DeleteGroupDialog } from './DeleteGroupDialog';
import { GroupFormDialog } from './GroupFormDialog';

type Open = { kind: 'create' } | { kind: 'edit'; group: GroupView } | { kind: 'delete'; group: GroupView };

export function GroupsPage() {
  const { t, i18n } = useTranslation('groups');
  const { isAdmin } = useSession();
  const [open, setOpen] = useState<Open | undefined>();
  const [announce, setAnnounce] = useState('');
  const list = useApi((a) => a.get<Page<GroupView>>('/api/groups'), []);

  if (!isAdmin) return <Notice tone="error">{t('adminOnly')}</Notice>;

  const done = (message: string) => {
    setOpen(undefined);
    setAnnounce(message);
    list.reload();
  };
  const columns: Column<GroupView>[] = [
    { key: 'name', header: t('col.name'), cell: (g) => <strong>{g.name}</strong> },
    { key: 'ratio', header: t('col.ratio'), numeric: true, cell: (g) => `×${formatNumber(g.ratio, i18n.language)}` },
    { key: 'description', header: t('col.description'), cell: (g) => g.description || '–' },
    {
      key: 'actions',
      header: t('col.actions'),
      cell: (g) => (
        <div className="row-actions">
          <button type="button" onClick={() => setOpen({ kind: 'edit', group: g })} aria-label={t('rowAction.edit', { name: g.name })}>
            {t('common:actions.edit')}
          </button>
          {g.name !== DEFAULT_GROUP && (
            <button type="button" className="danger" onClick={() => setOpen({ kind: 'delete', group: g })} aria-label={t('rowAction.delete', { name: g.name })}>
              {t('common:actions.delete')}
            </button>
          )}
        </div>
      ),
    },
  ];

  return (
    <section aria-labelledby="groups-title">
      <h1 id="groups-title">{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => setOpen({ kind: 'create' })}>
          {t('create')}
        </button>
      </div>
      {announce && <Notice tone="success">{announce}</Notice>}
      <ErrorNotice error={list.error} />
      <DataTable caption={t('caption')} columns={columns} rows={list.data?.items} rowKey={(g) => g.name} loading={list.loading} />

      {open?.kind === 'create' && (
        <GroupFormDialog taken={list.data?.items.map((g) => g.name) ?? []} onClose={() => setOpen(undefined)} onSaved={(g) => done(t('announce.created', { name: g.name }))} />
      )}
      {open?.kind === 'edit' && (
        <GroupFormDialog group={open.group} onClose={() => setOpen(undefined)} onSaved={(g) => done(t('announce.saved', { name: g.name }))} />
      )}
      {open?.kind === 'delete' && (
        <DeleteGroupDialog group={open.group} onClose={() => setOpen(undefined)} onDeleted={() => done(t('announce.deleted', { name: open.group.name }))} />
      )}
    </section>
  );
}
