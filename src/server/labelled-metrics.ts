// A counter and a histogram for the relay's per-request metrics, cheap to
// update: a series is found by one joined key in a Map, where prom-client
// validates and hashes the label object on every update (~1 µs each, three
// per request). They register in a prom-client Registry and hand it values in
// the same shape as prom-client's own Counter and Histogram, so /metrics reads
// byte for byte the same (test/server/labelled-metrics.test.ts compares them).
import type { Metric, Registry } from 'prom-client';

type Labels = Record<string, string>;

const SEPARATOR = '\u0001';

/** Label values as one Map key (a value holding the separator takes the slow, unambiguous form). */
function keyOf(values: readonly string[]): string {
  if (values.length === 1) return values[0]!;
  for (const v of values) if (v.includes(SEPARATOR)) return JSON.stringify(values);
  return values.join(SEPARATOR);
}

function labelsOf(names: readonly string[], values: readonly string[]): Labels {
  const labels: Labels = {};
  for (let i = 0; i < names.length; i++) labels[names[i]!] = values[i] ?? '';
  return labels;
}

abstract class LabelledMetric {
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
    registry: Registry,
  ) {
    registry.registerMetric(this as unknown as Metric);
  }

  abstract readonly type: string;
  abstract reset(): void;
}

export class LabelledCounter extends LabelledMetric {
  readonly type = 'counter';
  private series = new Map<string, { labels: Labels; value: number }>();

  /** `values` in `labelNames` order. */
  inc(values: readonly string[], by = 1): void {
    const key = keyOf(values);
    const s = this.series.get(key);
    if (s) s.value += by;
    else this.series.set(key, { labels: labelsOf(this.labelNames, values), value: by });
  }

  async get() {
    return { help: this.help, name: this.name, type: this.type, values: [...this.series.values()].map((s) => ({ value: s.value, labels: s.labels })), aggregator: this.aggregator };
  }

  reset(): void {
    this.series.clear();
  }
}

interface HistogramSeries {
  labels: Labels;
  /** Observations per bucket (not cumulative); past the last bound only in `count`. */
  buckets: number[];
  sum: number;
  count: number;
}

export class LabelledHistogram extends LabelledMetric {
  readonly type = 'histogram';
  private series = new Map<string, HistogramSeries>();

  constructor(name: string, help: string, labelNames: readonly string[], readonly upperBounds: readonly number[], registry: Registry) {
    super(name, help, labelNames, registry);
  }

  /** `values` in `labelNames` order; non-finite observations are dropped. */
  observe(values: readonly string[], value: number): void {
    if (!Number.isFinite(value)) return;
    const key = keyOf(values);
    let s = this.series.get(key);
    if (!s) {
      s = { labels: labelsOf(this.labelNames, values), buckets: new Array<number>(this.upperBounds.length).fill(0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    const bounds = this.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        s.buckets[i]!++;
        break;
      }
    }
    s.sum += value;
    s.count += 1;
  }

  /** For the text format: prom-client's layout (bucket `le` first, series labels shared). */
  async getForPromString() {
    const bucketName = `${this.name}_bucket`;
    const values: Array<{ labels: Record<string, string | number>; sharedLabels: Labels; value: number; metricName: string; exemplar: null | undefined }> = [];
    for (const s of this.series.values()) {
      let acc = 0;
      for (let i = 0; i < this.upperBounds.length; i++) {
        acc += s.buckets[i]!;
        values.push({ labels: { le: this.upperBounds[i]! }, sharedLabels: s.labels, value: acc, metricName: bucketName, exemplar: null });
      }
      values.push(
        { labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: bucketName, exemplar: null },
        { labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${this.name}_sum`, exemplar: undefined },
        { labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${this.name}_count`, exemplar: undefined },
      );
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }

  /** For JSON: the series labels merged into each value's, as prom-client does. */
  async get() {
    const data = await this.getForPromString();
    return {
      ...data,
      values: data.values.map(({ sharedLabels, labels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } })),
    };
  }

  reset(): void {
    this.series.clear();
  }
}
