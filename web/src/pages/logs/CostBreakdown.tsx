// What a request was billed for: tokens by kind beside the part of the cost
// each made (cost_detail, micro-dollars before the group ratio), the group
// ratio, and the total. Rows without a breakdown show the total and the
// model's price as it stands today.
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/use-api';
import { formatNumber, formatUsd } from '../../components/format';
import { ErrorNotice } from '../../components/Notice';
import type { LogRow, ModelPrice } from './log-shapes';

/** Micro-dollars as USD keeping four significant digits of tiny parts ($0.00000135). */
export function formatMicros(micros: number): string {
  const usd = micros / 1e6;
  if (Math.abs(usd) >= 0.01 || usd === 0) return formatUsd(usd);
  return `$${Number(usd.toPrecision(4)).toFixed(12).replace(/0+$/, '')}`;
}

interface Line {
  key: string;
  amount: string;
  /** Parts of cost_detail this line adds up. */
  parts: string[];
}

export function CostBreakdown({ row }: { row: LogRow }) {
  const { t, i18n } = useTranslation('logs');
  const num = (n: number) => formatNumber(n, i18n.language);
  const detail = row.cost_detail ?? null;
  const imageFacts = [row.image_size, row.aspect_ratio].filter(Boolean).join(', ');
  const lines: Line[] = [
    { key: 'input', amount: num(row.input_tokens), parts: ['input'] },
    { key: 'cachedInput', amount: num(row.cached_input_tokens), parts: ['cached_input'] },
    { key: 'cacheWrite', amount: num(row.cache_write_tokens), parts: ['cache_write_5m', 'cache_write_1h'] },
    { key: 'outputText', amount: num(row.output_text_tokens), parts: ['output'] },
    { key: 'outputImage', amount: num(row.output_image_tokens), parts: ['image_output'] },
    { key: 'reasoning', amount: num(row.reasoning_tokens), parts: ['reasoning'] },
    { key: 'images', amount: imageFacts ? `${num(row.image_count)} (${imageFacts})` : num(row.image_count), parts: ['images'] },
  ];
  if (detail?.per_call) lines.push({ key: 'perCall', amount: '1', parts: ['per_call'] });
  const partOf = (line: Line) => (detail ? line.parts.reduce((s, p) => s + (detail[p] ?? 0), 0) : undefined);
  const ratio = detail?.ratio ?? row.group_ratio ?? 1;
  const subtotal = detail ? Object.entries(detail).reduce((s, [k, v]) => (k === 'ratio' || k === 'long_context' ? s : s + v), 0) : undefined;

  return (
    <section aria-labelledby="logs-cost">
      <h3 id="logs-cost">{t('detail.cost')}</h3>
      <div className="table-wrap">
        <table className="data-table logs-cost">
          <caption className="visually-hidden">{t('detail.cost')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cost.kind')}</th>
              <th scope="col" className="num">
                {t('cost.amount')}
              </th>
              <th scope="col" className="num">
                {t('cost.charged')}
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => {
              const part = partOf(line);
              return (
                <tr key={line.key}>
                  <th scope="row">{t(`cost.${line.key}`)}</th>
                  <td className="num" data-label={t('cost.amount')}>
                    {line.amount}
                  </td>
                  <td className="num" data-label={t('cost.charged')}>
                    {part === undefined ? '–' : formatMicros(part)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <dl className="logs-facts logs-cost-total">
        {subtotal !== undefined && (
          <div className="logs-fact">
            <dt>{t('cost.subtotal')}</dt>
            <dd>{formatMicros(subtotal)}</dd>
          </div>
        )}
        <div className="logs-fact">
          <dt>{t('cost.ratio')}</dt>
          <dd>×{ratio}</dd>
        </div>
        <div className="logs-fact">
          <dt>{t('cost.total')}</dt>
          <dd>
            <strong>{formatMicros(row.cost_micros)}</strong>
          </dd>
        </div>
      </dl>
      {detail?.long_context ? <p className="muted">{t('cost.longContext')}</p> : null}
      {!detail && (row.cost_micros > 0 ? <PriceUsed model={row.model_served ?? row.model_requested} /> : <p className="muted">{t('cost.nothingCharged')}</p>)}
    </section>
  );
}

const PRICE_FIELDS = [
  'input_per_mtok',
  'cached_input_per_mtok',
  'cache_write_5m_per_mtok',
  'cache_write_1h_per_mtok',
  'output_per_mtok',
  'image_output_per_mtok',
  'reasoning_per_mtok',
  'per_call',
] as const;

/** No breakdown was recorded: the model's price today, as the best hint of how the total came about. */
function PriceUsed({ model }: { model: string | null }) {
  const { t } = useTranslation('logs');
  const price = useApi(
    (a) => (model ? a.get<{ model: string; price: ModelPrice }>(`/api/prices/${encodeURI(model)}`).catch((err: { status?: number }) => (err.status === 404 ? null : Promise.reject(err))) : Promise.resolve(null)),
    [model],
  );
  if (!model) return <p className="muted">{t('cost.noBreakdown')}</p>;
  return (
    <div className="logs-price">
      <p className="muted">{t('cost.noBreakdownPrice', { model })}</p>
      <ErrorNotice error={price.error} />
      {price.data === null && <p className="muted">{t('cost.noPrice', { model })}</p>}
      {price.data && (
        <dl className="logs-facts">
          {PRICE_FIELDS.filter((f) => price.data!.price[f] !== undefined).map((f) => (
            <div key={f} className="logs-fact">
              <dt>{t(`price.${f}`)}</dt>
              <dd>{formatUsd(price.data!.price[f]!)}</dd>
            </div>
          ))}
          {Object.entries(price.data.price.per_image ?? {}).map(([size, usd]) => (
            <div key={size} className="logs-fact">
              <dt>{t('price.per_image', { size })}</dt>
              <dd>{formatUsd(usd)}</dd>
            </div>
          ))}
          {price.data.price.long_context && (
            <div className="logs-fact">
              <dt>{t('price.long_context')}</dt>
              <dd>{t('price.longContextAbove', { tokens: price.data.price.long_context.above_input_tokens })}</dd>
            </div>
          )}
        </dl>
      )}
    </div>
  );
}
