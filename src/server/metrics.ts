import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RelayContext } from '../relay/relay-context.js';
import type { RelayMetricsSink } from '../relay/relay-handler.js';

/** Prometheus metrics: requests, latency and gateway overhead by route, model and channel. */
export class Metrics implements RelayMetricsSink {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'model' | 'channel' | 'status'>;
  private readonly latency: Histogram<'route' | 'model' | 'channel'>;
  private readonly overhead: Histogram<'route'>;
  private readonly upstreamErrors: Counter<'route' | 'channel' | 'reason'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'waystation_process_' });
    this.requests = new Counter({
      name: 'waystation_requests_total',
      help: 'Relay requests by route, model, channel and status',
      labelNames: ['route', 'model', 'channel', 'status'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'waystation_request_duration_seconds',
      help: 'Relay request duration, upstream included',
      labelNames: ['route', 'model', 'channel'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers: [this.registry],
    });
    this.overhead = new Histogram({
      name: 'waystation_gateway_overhead_seconds',
      help: 'Time spent in the gateway itself before the response started, upstream waiting excluded',
      labelNames: ['route'],
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05],
      registers: [this.registry],
    });
    this.upstreamErrors = new Counter({
      name: 'waystation_upstream_errors_total',
      help: 'Upstream failures by route, channel and reason (status code or error kind)',
      labelNames: ['route', 'channel', 'reason'],
      registers: [this.registry],
    });
  }

  observe(ctx: RelayContext): void {
    const model = ctx.modelRequested ?? '';
    const channel = ctx.channelId === undefined ? '' : String(ctx.channelId);
    this.requests.inc({ route: ctx.route, model, channel, status: String(ctx.status) });
    this.latency.observe({ route: ctx.route, model, channel }, ctx.elapsedMs() / 1000);
    const untilFirstByte = ctx.firstByteMs ?? ctx.elapsedMs();
    this.overhead.observe({ route: ctx.route }, Math.max(0, untilFirstByte - ctx.upstreamWaitMs) / 1000);
  }

  upstreamError(route: string, channelId: number, reason: string): void {
    this.upstreamErrors.inc({ route, channel: String(channelId), reason });
  }
}
