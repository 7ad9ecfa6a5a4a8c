// The four charts over time: requests and errors, cost, latency, tokens.
// Colours come from the stylesheet's variables; series are also told apart by
// legend names, dashes and the summary/table, never by colour alone.
import { useTranslation } from 'react-i18next';
import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMs, formatNumber, formatUsd } from '../../components/format';
import { ChartFigure } from './ChartFigure';
import { longLabel, shortLabel, type TimeRange } from './ranges';
import { errorRate } from './rates';
import type { LatencySummary, SeriesPoint } from './stats-shapes';

const PLOT_STYLE = { width: '100%', height: 220 };
/** No growing bars for those who asked their system for less motion. */
const animate = () => !globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
const MARGIN = { top: 8, right: 12, bottom: 0, left: 4 };

interface Props {
  points: SeriesPoint[];
  bucket: TimeRange['bucket'];
  latency: LatencySummary;
}

/** The point with the largest `pick`, if any is above zero. */
function peakOf(points: SeriesPoint[], pick: (p: SeriesPoint) => number): SeriesPoint | undefined {
  let best: SeriesPoint | undefined;
  for (const p of points) if (pick(p) > 0 && (!best || pick(p) > pick(best))) best = p;
  return best;
}

export function UsageCharts({ points, bucket, latency }: Props) {
  const { t, i18n } = useTranslation('dashboard');
  const num = (n: number) => formatNumber(n, i18n.language);
  const label = (p: SeriesPoint) => longLabel(p.start, bucket);
  const data = points.map((p) => ({ ...p, label: shortLabel(p.start, bucket), answered: p.requests - p.errors }));
  const sum = (pick: (p: SeriesPoint) => number) => points.reduce((s, p) => s + pick(p), 0);

  const requests = sum((p) => p.requests);
  const errors = sum((p) => p.errors);
  const busiest = peakOf(points, (p) => p.requests);
  const requestsSummary =
    requests === 0
      ? t('charts.noTraffic')
      : t('charts.requestsSummary', { requests: num(requests), errors: num(errors), rate: errorRate(errors, requests), when: busiest ? label(busiest) : '', peak: num(busiest?.requests ?? 0) });

  const cost = sum((p) => p.cost_micros) / 1e6;
  const dearest = peakOf(points, (p) => p.cost_micros);
  const costSummary = dearest ? t('charts.costSummary', { total: formatUsd(cost), when: label(dearest), peak: formatUsd(dearest.cost_usd) }) : t('charts.noCost');

  const latencySummary =
    latency.samples === 0
      ? t('charts.noLatency')
      : t('charts.latencySummary', { avg: formatMs(latency.avg_ms), p50: formatMs(latency.p50_ms), p95: formatMs(latency.p95_ms), firstByte: formatMs(latency.first_byte_avg_ms), samples: num(latency.samples) });

  const input = sum((p) => p.input_tokens);
  const output = sum((p) => p.output_tokens);
  const tokensSummary = t('charts.tokensSummary', { total: num(input + output), input: num(input), output: num(output) });

  const axis = (
    <>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
      <XAxis dataKey="label" tick={{ fill: 'var(--muted)', fontSize: 12 }} minTickGap={12} />
    </>
  );
  const motion = animate();
  const tooltipStyle = { background: 'var(--panel)', border: '1px solid var(--border)', color: 'var(--text)' };

  return (
    <div className="dash-charts">
      <ChartFigure
        title={t('charts.requests')}
        summary={requestsSummary}
        rows={points}
        rowLabel={label}
        columns={[
          { header: t('charts.requestsSeries'), cell: (p) => num(p.requests) },
          { header: t('charts.errorsSeries'), cell: (p) => num(p.errors) },
        ]}
        chart={
          <BarChart data={data} responsive style={PLOT_STYLE} margin={MARGIN} accessibilityLayer={false}>
            {axis}
            <YAxis allowDecimals={false} width={44} tick={{ fill: 'var(--muted)', fontSize: 12 }} />
            <Tooltip contentStyle={tooltipStyle} />
            <Legend />
            <Bar isAnimationActive={motion} dataKey="answered" name={t('charts.answeredSeries')} stackId="r" fill="var(--accent)" />
            <Bar isAnimationActive={motion} dataKey="errors" name={t('charts.errorsSeries')} stackId="r" fill="var(--err)" />
          </BarChart>
        }
      />
      <ChartFigure
        title={t('charts.cost')}
        summary={costSummary}
        rows={points}
        rowLabel={label}
        columns={[{ header: t('charts.costSeries'), cell: (p) => formatUsd(p.cost_usd) }]}
        chart={
          <AreaChart data={data} responsive style={PLOT_STYLE} margin={MARGIN} accessibilityLayer={false}>
            {axis}
            <YAxis width={64} tickFormatter={(v: number) => formatUsd(v)} tick={{ fill: 'var(--muted)', fontSize: 12 }} />
            <Tooltip contentStyle={tooltipStyle} formatter={(v) => formatUsd(Number(v))} />
            <Area isAnimationActive={motion} type="monotone" dataKey="cost_usd" name={t('charts.costSeries')} stroke="var(--accent)" fill="var(--accent)" fillOpacity={0.2} />
          </AreaChart>
        }
      />
      <ChartFigure
        title={t('charts.latency')}
        summary={latencySummary}
        rows={points}
        rowLabel={label}
        columns={[
          { header: t('charts.latencySeries'), cell: (p) => formatMs(p.latency_ms_avg) },
          { header: t('charts.firstByteSeries'), cell: (p) => formatMs(p.first_byte_ms_avg) },
        ]}
        chart={
          <LineChart data={data} responsive style={PLOT_STYLE} margin={MARGIN} accessibilityLayer={false}>
            {axis}
            <YAxis width={56} tickFormatter={(v: number) => formatMs(v)} tick={{ fill: 'var(--muted)', fontSize: 12 }} />
            <Tooltip contentStyle={tooltipStyle} formatter={(v) => formatMs(v === null || v === undefined ? null : Number(v))} />
            <Legend />
            <Line isAnimationActive={motion} type="monotone" dataKey="latency_ms_avg" name={t('charts.latencySeries')} stroke="var(--accent)" connectNulls dot={{ r: 2 }} />
            <Line isAnimationActive={motion} type="monotone" dataKey="first_byte_ms_avg" name={t('charts.firstByteSeries')} stroke="var(--warn)" strokeDasharray="5 4" connectNulls dot={{ r: 2 }} />
          </LineChart>
        }
      />
      <ChartFigure
        title={t('charts.tokens')}
        summary={tokensSummary}
        rows={points}
        rowLabel={label}
        columns={[
          { header: t('charts.inputSeries'), cell: (p) => num(p.input_tokens) },
          { header: t('charts.outputSeries'), cell: (p) => num(p.output_tokens) },
        ]}
        chart={
          <BarChart data={data} responsive style={PLOT_STYLE} margin={MARGIN} accessibilityLayer={false}>
            {axis}
            <YAxis width={56} tickFormatter={(v: number) => formatNumber(v, i18n.language)} tick={{ fill: 'var(--muted)', fontSize: 12 }} />
            <Tooltip contentStyle={tooltipStyle} />
            <Legend />
            <Bar isAnimationActive={motion} dataKey="input_tokens" name={t('charts.inputSeries')} stackId="t" fill="var(--accent)" />
            <Bar isAnimationActive={motion} dataKey="output_tokens" name={t('charts.outputSeries')} stackId="t" fill="var(--ok)" />
          </BarChart>
        }
      />
    </div>
  );
}
