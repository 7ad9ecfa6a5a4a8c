import { useTranslation } from 'react-i18next';

export interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  onPage: (page: number) => void;
}

/** Previous / next with "page x of y"; pages count from 1 as in the API. */
export function Pager({ page, pageSize, total, onPage }: PagerProps) {
  const { t } = useTranslation();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager" aria-label={t('table.page', { page, pages })}>
      <button type="button" onClick={() => onPage(page - 1)} disabled={page <= 1} aria-label={t('table.previous')}>
        ‹
      </button>
      <span aria-live="polite">{t('table.page', { page, pages })}</span>
      <button type="button" onClick={() => onPage(page + 1)} disabled={page >= pages} aria-label={t('table.next')}>
        ›
      </button>
      <span className="muted">{t('table.total', { total })}</span>
    </nav>
  );
}
