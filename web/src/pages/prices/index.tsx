// Prices (admins): the built-in price book merged with overrides (config
// file or API), filtered by model name and source; set a model's price, or
// drop an override so the built-in price applies again.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Page } from '../../api/client';
import { useApi } from '../../api/use-api';
import { useSession } from '../../auth/session';
import { DataTable, type Column } from '../../components/DataTable';
import { Field } from '../../components/Field';
import { formatUsd } from '../../components/format';
import { ErrorNotice, Notice } from '../../components/Notice';
import { Pager } from '../../components/Pager';
import { ConfirmDialog } from '../tokens/ConfirmDialog';
import { SearchForm } from '../tokens/SearchForm';
import { PriceFormDialog } from './PriceFormDialog';
import { pricePath, STANDARD_SIZES, type ModelPrice, type PriceEntry, type PriceSource } from './price-shapes';
import './prices.css';

const PAGE_SIZE = 100;
const SHOWN_SIZES = 4;

type Open = { kind: 'create' } | { kind: 'edit'; entry: PriceEntry } | { kind: 'revert'; entry: PriceEntry };

/** Standard sizes first, then the rest; at most a few, with a count of those left out. */
function imageSummary(perImage: ModelPrice['per_image'], more: (n: number) => string): string {
  if (!perImage) return '–';
  const order = (k: string) => {
    const i = (STANDARD_SIZES as readonly string[]).indexOf(k);
    return i === -1 ? STANDARD_SIZES.length : i;
  };
  const keys = Object.keys(perImage).sort((a, b) => order(a) - order(b));
  const shown = keys.slice(0, SHOWN_SIZES).map((k) => `${k} ${formatUsd(perImage[k]!)}`);
  if (keys.length > SHOWN_SIZES) shown.push(more(keys.length - SHOWN_SIZES));
  return shown.join(' · ');
}

export function PricesPage() {
  const { t } = useTranslation('prices');
  const { api, isAdmin } = useSession();
  const [keyword, setKeyword] = useState('');
  const [source, setSource] = useState<'' | PriceSource>('');
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<Open | undefined>();
  const [announce, setAnnounce] = useState('');
  const list = useApi((a) => a.get<Page<PriceEntry>>('/api/prices', { keyword, source, p: page, page_size: PAGE_SIZE }), [keyword, source, page]);

  const done = (message: string) => {
    setOpen(undefined);
    setAnnounce(message);
    list.reload();
  };
  const rate = (v: number | undefined) => (v === undefined ? '–' : formatUsd(v));

  const columns: Column<PriceEntry>[] = [
    { key: 'model', header: t('col.model'), cell: (e) => <strong>{e.model}</strong> },
    {
      key: 'source',
      header: t('col.source'),
      cell: (e) => <span className={e.source === 'builtin' ? 'badge badge-off' : 'badge badge-ok'}>{t(`source.${e.source}`)}</span>,
    },
    { key: 'input', header: t('col.input'), numeric: true, cell: (e) => rate(e.price.input_per_mtok) },
    { key: 'cached', header: t('col.cached'), numeric: true, cell: (e) => rate(e.price.cached_input_per_mtok) },
    { key: 'output', header: t('col.output'), numeric: true, cell: (e) => rate(e.price.output_per_mtok) },
    { key: 'imageOutput', header: t('col.imageOutput'), numeric: true, cell: (e) => rate(e.price.image_output_per_mtok) },
    { key: 'perImage', header: t('col.perImage'), cell: (e) => imageSummary(e.price.per_image, (n) => t('moreSizes', { count: n })) },
    { key: 'perCall', header: t('col.perCall'), numeric: true, cell: (e) => rate(e.price.per_call) },
    ...(isAdmin
      ? [
          {
            key: 'actions',
            header: t('col.actions'),
            cell: (e: PriceEntry) => (
              <div className="row-actions">
                <button type="button" onClick={() => setOpen({ kind: 'edit', entry: e })} aria-label={t('rowAction.edit', { model: e.model })}>
                  {t('common:actions.edit')}
                </button>
                {e.source !== 'builtin' && (
                  <button type="button" className="danger" onClick={() => setOpen({ kind: 'revert', entry: e })} aria-label={t(e.builtin ? 'rowAction.revert' : 'rowAction.delete', { model: e.model })}>
                    {e.builtin ? t('revert') : t('common:actions.delete')}
                  </button>
                )}
              </div>
            ),
          },
        ]
      : []),
  ];

  return (
    <section aria-labelledby="prices-title" className="prices-page">
      <h1 id="prices-title">{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <div className="toolbar">
        <SearchForm
          label={t('search')}
          onSearch={(text) => {
            setPage(1);
            setKeyword(text);
          }}
        />
        <Field label={t('sourceFilter')}>
          <select
            value={source}
            onChange={(e) => {
              setSource(e.target.value as '' | PriceSource);
              setPage(1);
            }}
          >
            <option value="">{t('source.all')}</option>
            <option value="builtin">{t('source.builtin')}</option>
            <option value="config">{t('source.config')}</option>
            <option value="api">{t('source.api')}</option>
          </select>
        </Field>
        {isAdmin && (
          <button type="button" className="primary" onClick={() => setOpen({ kind: 'create' })}>
            {t('create')}
          </button>
        )}
      </div>
      {announce && <Notice tone="success">{announce}</Notice>}
      <ErrorNotice error={list.error} />
      <DataTable caption={t('caption')} columns={columns} rows={list.data?.items} rowKey={(e) => e.model} loading={list.loading} />
      {list.data && <Pager page={page} pageSize={PAGE_SIZE} total={list.data.total} onPage={setPage} />}

      {open?.kind === 'create' && <PriceFormDialog onClose={() => setOpen(undefined)} onSaved={(e) => done(t('announce.saved', { model: e.model }))} />}
      {open?.kind === 'edit' && (
        <PriceFormDialog entry={open.entry} onClose={() => setOpen(undefined)} onSaved={(e) => done(t('announce.saved', { model: e.model }))} />
      )}
      {open?.kind === 'revert' && (
        <ConfirmDialog
          title={open.entry.builtin ? t('revertTitle') : t('deleteTitle')}
          confirmLabel={open.entry.builtin ? t('revert') : t('common:actions.delete')}
          danger
          onClose={() => setOpen(undefined)}
          onConfirm={async () => {
            await api.delete(pricePath(open.entry.model));
            done(t(open.entry.builtin ? 'announce.reverted' : 'announce.deleted', { model: open.entry.model }));
          }}
        >
          <p>{open.entry.builtin ? t('revertText', { model: open.entry.model }) : t('deleteText', { model: open.entry.model })}</p>
          {open.entry.source === 'config' && <p className="muted">{t('configNote')}</p>}
        </ConfirmDialog>
      )}
    </section>
  );
}
