// The relay's cheap counter and histogram read exactly like prom-client's own,
// in the text format and as JSON, for the same updates.
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabelledCounter, LabelledHistogram } from '../../src/server/labelled-metrics.js';

const BOUNDS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1];
const OBSERVATIONS: Array<[string, string, string, number]> = [
  ['openai.chat', 'gpt-4o-mini', '1', 0.003],
  ['openai.chat', 'gpt-4o-mini', '1', 0.07],
  ['gemini.generateContent', 'gemini-2.5-flash', '', 2.5], // past the last bound: +Inf only
  ['openai.chat', 'gpt-4o-mini', '1', 0.01], // exactly on a bound
  ['anthropic.messages', 'we"ird\\name\nx', '2', 0.2], // escaped in the text format
  ['openai.chat', 'a\u0001b', '1', 0.3], // the key separator inside a value
  ['openai.chat', 'a', '\u0001b1', 0.4],
];

function both() {
  const ours = new Registry();
  const theirs = new Registry();
  const counter = new LabelledCounter('t_requests_total', 'Requests', ['route', 'model', 'channel', 'status'], ours);
  const histogram = new LabelledHistogram('t_duration_seconds', 'Duration', ['route', 'model', 'channel'], BOUNDS, ours);
  const pCounter = new Counter({ name: 't_requests_total', help: 'Requests', labelNames: ['route', 'model', 'channel', 'status'], registers: [theirs] });
  const pHistogram = new Histogram({ name: 't_duration_seconds', help: 'Duration', labelNames: ['route', 'model', 'channel'], buckets: BOUNDS, registers: [theirs] });
  for (const [route, model, channel, seconds] of OBSERVATIONS) {
    counter.inc([route, model, channel, '200']);
    pCounter.inc({ route, model, channel, status: '200' });
    histogram.observe([route, model, channel], seconds);
    pHistogram.observe({ route, model, channel }, seconds);
  }
  return { ours, theirs, counter, histogram };
}

describe('LabelledCounter and LabelledHistogram', () => {
  it('expose the same text as prom-client for the same updates', async () => {
    const { ours, theirs } = both();
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('t_requests_total{route="openai.chat",model="gpt-4o-mini",channel="1",status="200"} 3');
    expect(text).toContain('t_duration_seconds_bucket{le="+Inf",route="gemini.generateContent",model="gemini-2.5-flash",channel=""} 1');
  });

  it('the same JSON too', async () => {
    const { ours, theirs } = both();
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });

  it('series with a separator inside a value stay apart', async () => {
    const { ours } = both();
    const text = await ours.metrics();
    expect(text).toMatch(/t_requests_total\{route="openai\.chat",model="a\u0001b",channel="1",status="200"\} 1/);
    expect(text).toMatch(/t_requests_total\{route="openai\.chat",model="a",channel="\u0001b1",status="200"\} 1/);
  });

  it('reset empties every series; non-finite observations are dropped', async () => {
    const { ours, histogram } = both();
    histogram.observe(['x', 'y', 'z'], Number.NaN);
    expect(await ours.metrics()).not.toContain('route="x"');
    ours.resetMetrics();
    const text = await ours.metrics();
    expect(text).not.toContain('route=');
    expect(text).toContain('# TYPE t_duration_seconds histogram');
  });
});
