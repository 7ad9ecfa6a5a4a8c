// A table that turns into stacked cards on a phone (CSS), with loading and
// empty states. Rows can open (click or Enter) when `onOpen` is given.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Right-aligned numbers. */
  numeric?: boolean;
}

export interface DataTableProps<T> {
  caption: string;
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string | number;
  loading?: boolean;
  onOpen?: (row: T) => void;
}

export function DataTable<T>({ caption, columns, rows, rowKey, loading, onOpen }: DataTableProps<T>) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table className="data-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows?.map((row) => (
            <tr
              key={rowKey(row)}
              className={onOpen ? 'openable' : undefined}
              tabIndex={onOpen ? 0 : undefined}
              onClick={onOpen ? (e) => !(e.target as HTMLElement).closest('button,a,input,select') && onOpen(row) : undefined}
              onKeyDown={onOpen ? (e) => e.key === 'Enter' && e.target === e.currentTarget && onOpen(row) : undefined}
            >
              {columns.map((c) => (
                <td key={c.key} data-label={typeof c.header === 'string' ? c.header : undefined} className={c.numeric ? 'num' : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {loading && !rows && <p className="table-note">{t('table.loading')}</p>}
      {rows && rows.length === 0 && <p className="table-note">{t('table.empty')}</p>}
    </div>
  );
}
