// The range's busiest models (by requests) and dearest tokens (by cost).
import { useTranslation } from 'react-i18next';
import { DataTable, type Column } from '../../components/DataTable';
import { formatNumber, formatUsd } from '../../components/format';
import type { StatsAnswer } from './stats-shapes';

type ModelRow = StatsAnswer['top_models'][number];
type TokenRow = StatsAnswer['top_tokens'][number];

export function TopTables({ stats }: { stats: StatsAnswer }) {
  const { t, i18n } = useTranslation('dashboard');
  const num = (n: number) => formatNumber(n, i18n.language);
  const sums = <T extends ModelRow | TokenRow>(): Column<T>[] => [
    { key: 'requests', header: t('top.requests'), numeric: true, cell: (r) => num(r.requests) },
    { key: 'errors', header: t('top.errors'), numeric: true, cell: (r) => num(r.errors) },
    { key: 'tokens', header: t('top.tokens'), numeric: true, cell: (r) => num(r.total_tokens) },
    { key: 'cost', header: t('top.cost'), numeric: true, cell: (r) => formatUsd(r.cost_usd) },
  ];
  const modelColumns: Column<ModelRow>[] = [{ key: 'model', header: t('top.model'), cell: (r) => r.model || t('top.noModel') }, ...sums<ModelRow>()];
  const tokenColumns: Column<TokenRow>[] = [
    { key: 'token', header: t('top.token'), cell: (r) => (r.token_id === 0 ? t('top.noToken') : (r.token_name ?? t('top.deletedToken', { id: r.token_id }))) },
    ...sums<TokenRow>(),
  ];
  return (
    <div className="dash-tops">
      <section aria-labelledby="dash-top-models">
        <h2 id="dash-top-models">{t('top.modelsTitle')}</h2>
        <DataTable caption={t('top.modelsTitle')} columns={modelColumns} rows={stats.top_models} rowKey={(r) => r.model} />
      </section>
      <section aria-labelledby="dash-top-tokens">
        <h2 id="dash-top-tokens">{t('top.tokensTitle')}</h2>
        <DataTable caption={t('top.tokensTitle')} columns={tokenColumns} rows={stats.top_tokens} rowKey={(r) => r.token_id} />
      </section>
    </div>
  );
}
