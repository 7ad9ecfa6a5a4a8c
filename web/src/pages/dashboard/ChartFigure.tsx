// One chart as a figure: a heading, a one-line summary in words (what a
// screen reader hears, and the gist for everyone), the picture, and the same
// numbers as a table behind a disclosure.
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface ChartColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

export interface ChartFigureProps<T> {
  title: string;
  summary: string;
  /** The recharts element; hidden from screen readers, which get the summary and table instead. */
  chart: ReactNode;
  rows: T[];
  rowLabel: (row: T) => string;
  columns: ChartColumn<T>[];
}

export function ChartFigure<T>({ title, summary, chart, rows, rowLabel, columns }: ChartFigureProps<T>) {
  const { t } = useTranslation('dashboard');
  const titleId = useId();
  const summaryId = useId();
  return (
    <figure className="card dash-chart" aria-labelledby={titleId} aria-describedby={summaryId}>
      <h2 id={titleId}>{title}</h2>
      <p id={summaryId} className="muted dash-chart-summary">
        {summary}
      </p>
      <div className="dash-chart-plot" aria-hidden="true">
        {chart}
      </div>
      <details className="dash-chart-data">
        <summary>{t('chart.showTable')}</summary>
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{t('chart.when')}</th>
                {columns.map((c) => (
                  <th key={c.header} scope="col" className="num">
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={rowLabel(row)}>
                  <th scope="row">{rowLabel(row)}</th>
                  {columns.map((c) => (
                    <td key={c.header} className="num" data-label={c.header}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
