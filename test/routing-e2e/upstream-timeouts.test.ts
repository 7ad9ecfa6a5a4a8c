// A channel's `connect_ms` and `total_ms`: a connection that does not open in
// time (direct, through a proxy, or a proxy that never opens the tunnel) fails
// over to the next channel; a request that outlives its total ends — before
// the headers as a timeout that fails over, mid-stream with the client
// dialect's error event, billed by the mid-stream rule.
import Anthropic from '@anthropic-ai/sdk';
import { APIError } from 'openai';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { TOKEN_KEY } from '../helpers/gateway.js';
import { ASK, lastRow, startRoutingRig, type RoutingRig } from './helpers.js';
import { startConnectProxy, startSilentServer, type TestProxy } from './proxies.js';

/** Far below the 300 s defaults: a test that waited for those would hit vitest's own limit first. */
const SANE_MS = 15_000;

let rig: RoutingRig;
let silent: Awaited<ReturnType<typeof startSilentServer>>;
let proxy: TestProxy;

beforeAll(async () => {
  silent = await startSilentServer();
  proxy = await startConnectProxy('gw', 'secret');
  const hole = `https://127.0.0.1:${silent.port}`;
  rig = await startRoutingRig(
    (url) => `
  - { name: tls-hole, type: openai, base_url: ${hole}, keys: [k-aaaa], models: [gpt-4o-mini], priority: 10, settings: { timeouts: { connect_ms: 200 }, breaker: false } }
  - { name: fallback, type: openai, base_url: ${url}, keys: [k-bbbb], models: [gpt-4o-mini, o1-mini, o4-mini, gpt-4.1-mini] }
  - { name: silent-proxy, type: openai, base_url: ${url}, keys: [k-cccc], models: [o1-mini], priority: 10, settings: { proxy: "http://127.0.0.1:${silent.port}", timeouts: { connect_ms: 200 }, breaker: false } }
  - { name: hole-via-proxy, type: openai, base_url: ${hole}, keys: [k-dddd], models: [o4-mini], priority: 10, settings: { proxy: "${proxy.url}", timeouts: { connect_ms: 200 }, breaker: false } }
  - { name: slow-stream, type: openai, base_url: ${url}, keys: [k-eeee], models: [gpt-4.1], settings: { header_override: { x-sim-fault: "drip:150" }, timeouts: { total_ms: 800 } } }
  - { name: slow-whole, type: openai, base_url: ${url}, keys: [k-ffff], models: [gpt-4.1-mini], priority: 10, settings: { header_override: { x-sim-fault: "latency:10000" }, timeouts: { total_ms: 300 }, breaker: false } }
  - { name: slow-alone, type: openai, base_url: ${url}, keys: [k-gggg], models: [o3-mini], settings: { header_override: { x-sim-fault: "latency:10000" }, timeouts: { total_ms: 300 }, breaker: false } }
  - { name: roomy, type: openai, base_url: ${url}, keys: [k-hhhh], models: [gpt-4.1-nano], settings: { header_override: { x-sim-fault: "drip:20" }, timeouts: { total_ms: 20000, connect_ms: 2000 } } }
`,
  );
});
afterAll(async () => {
  await rig?.close();
  await Promise.all([silent?.close(), proxy?.close()]);
});

test('an https upstream that accepts TCP but never speaks TLS: connect timeout, the next channel serves, both attempts on the row', async () => {
  await rig.sim.clear();
  const accepted = silent.accepted;
  const started = Date.now();
  const res = await rig.client.chat.completions.create(ASK);
  expect(Date.now() - started).toBeLessThan(SANE_MS);
  expect(res.choices[0]!.message.content).toBeTruthy();
  expect(silent.accepted).toBeGreaterThan(accepted); // TCP did connect: it is the TLS handshake that never finished
  expect(await rig.calledKeys()).toEqual(['bbbb']);
  const row = await lastRow(rig);
  expect(row.status).toBe(200);
  expect(row.channel_id).toBe(await rig.channelId('fallback'));
  expect(JSON.parse(row.attempts!)).toMatchObject([
    { channel_id: await rig.channelId('tls-hole'), status: null, error: 'The upstream connection timed out: no connection within 200 ms.' },
    { channel_id: await rig.channelId('fallback'), status: 200 },
  ]);
});

test('a proxy that accepts and never answers the CONNECT: the tunnel times out within connect_ms and failover serves', async () => {
  await rig.sim.clear();
  const started = Date.now();
  const res = await rig.client.chat.completions.create({ ...ASK, model: 'o1-mini' });
  expect(Date.now() - started).toBeLessThan(SANE_MS);
  expect(res.choices[0]!.message.content).toBeTruthy();
  expect(await rig.calledKeys()).toEqual(['bbbb']);
  expect(JSON.parse((await lastRow(rig)).attempts!)).toMatchObject([
    { channel_id: await rig.channelId('silent-proxy'), status: null, error: "The channel's proxy did not open a tunnel within 200 ms." },
    { status: 200 },
  ]);
});

test('through a proxy, TLS to the upstream must also finish within connect_ms', async () => {
  await rig.sim.clear();
  const tunnels = proxy.tunnels;
  const res = await rig.client.chat.completions.create({ ...ASK, model: 'o4-mini' });
  expect(res.choices[0]!.message.content).toBeTruthy();
  expect(proxy.tunnels).toBe(tunnels + 1);
  expect(JSON.parse((await lastRow(rig)).attempts!)).toMatchObject([
    { channel_id: await rig.channelId('hole-via-proxy'), status: null, error: "The upstream connection timed out: no connection within 200 ms through the channel's proxy." },
    { status: 200 },
  ]);
});

test('a stream that outlives total_ms ends with an error event the OpenAI SDK raises; billed as a broken stream', async () => {
  const stream = await rig.client.chat.completions.create({ ...ASK, model: 'gpt-4.1', max_tokens: 200, stream: true });
  let chunks = 0;
  const started = Date.now();
  const consume = async () => {
    for await (const _ of stream) chunks++;
  };
  const err = await consume().then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(APIError);
  expect((err as APIError).message).toMatch(/total timeout/);
  expect(chunks).toBeGreaterThan(0);
  expect(Date.now() - started).toBeLessThan(SANE_MS);
  const row = await lastRow(rig);
  expect(row).toMatchObject({ status: 502, is_stream: 1, channel_id: await rig.channelId('slow-stream') });
  expect(row.error).toMatch(/stream broke.*total timeout \(800 ms\)/);
  expect(row.cost_micros).toBeGreaterThan(0); // bytes reached the client: charged, as any stream that broke mid-way
});

test('the same stream read as raw SSE ends with an OpenAI error frame and no [DONE]', async () => {
  const res = await fetch(`${rig.gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...ASK, model: 'gpt-4.1', max_tokens: 200, stream: true }),
  });
  expect(res.status).toBe(200);
  const frames = (await res.text()).split('\n\n').filter((f) => f.startsWith('data: '));
  expect(frames.length).toBeGreaterThan(1);
  expect(frames.some((f) => f === 'data: [DONE]')).toBe(false);
  expect(JSON.parse(frames.at(-1)!.slice(6))).toMatchObject({ error: { message: expect.stringMatching(/total timeout/) } });
});

test('converted (Anthropic client, OpenAI channel): the stream ends with an Anthropic error event', async () => {
  const client = new Anthropic({ apiKey: TOKEN_KEY, baseURL: rig.gw.url, maxRetries: 0 });
  const stream = client.messages.stream({ model: 'gpt-4.1', max_tokens: 200, messages: [{ role: 'user', content: 'a long story' }] });
  let deltas = 0;
  stream.on('text', () => deltas++);
  const err = await stream.finalMessage().then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(Anthropic.APIError);
  expect(String((err as Error).message)).toMatch(/total timeout/);
  expect(deltas).toBeGreaterThan(0);
  const row = await lastRow(rig);
  expect(row).toMatchObject({ status: 502, is_stream: 1 });
  expect(row.cost_micros).toBeGreaterThan(0);
});

test('a whole request still waiting for headers at total_ms is a timeout: the next channel serves', async () => {
  await rig.sim.clear();
  const started = Date.now();
  const res = await rig.client.chat.completions.create({ ...ASK, model: 'gpt-4.1-mini' });
  expect(Date.now() - started).toBeLessThan(SANE_MS);
  expect(res.choices[0]!.message.content).toBeTruthy();
  expect(await rig.calledKeys()).toEqual(['ffff', 'bbbb']);
  expect(JSON.parse((await lastRow(rig)).attempts!)).toMatchObject([
    { channel_id: await rig.channelId('slow-whole'), status: null, error: "The upstream did not finish within the channel's total timeout (total_ms 300)." },
    { channel_id: await rig.channelId('fallback'), status: 200 },
  ]);
});

test('with no channel left, a total timeout before the headers is a 504 in the OpenAI shape, free of charge', async () => {
  const err = await rig.client.chat.completions.create({ ...ASK, model: 'o3-mini' }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(APIError);
  expect((err as APIError).status).toBe(504);
  expect((err as APIError).error).toMatchObject({ message: expect.stringMatching(/total timeout/), type: expect.any(String) });
  expect(await lastRow(rig)).toMatchObject({ status: 504, cost_micros: 0 });
});

test('waits that are long enough change nothing: a paced stream within total_ms completes', async () => {
  const stream = await rig.client.chat.completions.create({ ...ASK, model: 'gpt-4.1-nano', stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  expect(text).not.toBe('');
  expect(await lastRow(rig)).toMatchObject({ status: 200, is_stream: 1 });
});
