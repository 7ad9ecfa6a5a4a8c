import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { RelayContext } from '../relay/relay-context.js';
import type { RelayMetricsSink } from '../relay/relay-handler.js';
import { LabelledCounter, LabelledHistogram } from './labelled-metrics.js';

/** Prometheus metrics: requests, latency and gateway overhead by route, model and channel. */
export class Metrics implements RelayMetricsSink {
  readonly registry = new Registry();
  // Updated on every request: the cheap kind (labelled-metrics.ts).
  private readonly requests: LabelledCounter;
  private readonly latency: LabelledHistogram;
  private readonly overhead: LabelledHistogram;
  private readonly upstreamErrors: Counter<'route' | 'channel' | 'reason'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'waystation_process_' });
    this.requests = new LabelledCounter(
      'waystation_requests_total',
      'Relay requests by route, model, channel and status',
      ['route', 'model', 'channel', 'status'],
      this.registry,
    );
    this.latency = new LabelledHistogram(
      'waystation_request_duration_seconds',
      'Relay request duration, upstream included',
      ['route', 'model', 'channel'],
      [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      this.registry,
    );
    this.overhead = new LabelledHistogram(
      'waystation_gateway_overhead_seconds',
      'Time spent in the gateway itself before the response started, upstream waiting excluded',
      ['route'],
      [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      this.registry,
    );
    this.upstreamErrors = new Counter({
      name: 'waystation_upstream_errors_total',
      help: 'Upstream failures by route, channel and reason (status code or error kind)',
      labelNames: ['route', 'channel', 'reason'],
      registers: [this.registry],
    });
  }

  observe(ctx: RelayContext): void {
    // A model is a label only once routing found a channel for it (facts are read then): names that
    // no channel serves are whatever clients typed, and each would open series of its own for good.
    const model = ctx.facts !== undefined ? (ctx.modelRequested ?? '') : '';
    const channel = ctx.channelId === undefined ? '' : String(ctx.channelId);
    this.requests.inc([ctx.route, model, channel, String(ctx.status)]);
    this.latency.observe([ctx.route, model, channel], ctx.elapsedMs() / 1000);
    const untilFirstByte = ctx.firstByteMs ?? ctx.elapsedMs();
    this.overhead.observe([ctx.route], Math.max(0, untilFirstByte - ctx.upstreamWaitMs) / 1000);
  }

  upstreamError(route: string, channelId: number, reason: string): void {
    this.upstreamErrors.inc({ route, channel: String(channelId), reason });
  }
}
