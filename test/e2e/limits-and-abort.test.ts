// Rate limits and the client-abort billing rule, through the real gateway.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

const RPM_KEY = 'sk-rpm-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKL';
const CC_KEY = 'sk-concurrency-0123456789abcdefghijklmnopqrstuvwxyzABCD';
const PLAIN_KEY = 'sk-plain-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHI';

let sim: TestSimulator;
let gw: TestGateway;
beforeAll(async () => {
  sim = await startTestSimulator();
  gw = await startTestGateway(`
users:
  - name: bob
    balance_usd: 50
channels:
  - name: sim
    type: simulator
    base_url: ${sim.url}
    keys: [k]
    models: [gpt-4o-mini, claude-sonnet-4-5, gemini-2.5-flash]
tokens:
  - name: rpm
    user: bob
    key: ${RPM_KEY}
    limits: { rpm: 2 }
  - name: concurrency
    user: bob
    key: ${CC_KEY}
    limits: { concurrency: 1 }
  - name: plain
    user: bob
    key: ${PLAIN_KEY}
`);
});
afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hello' }] };

async function rows() {
  await gw.gw.usage.flush();
  return (await gw.gw.repos.usageLogs.query({ limit: 100 })).items;
}

describe('rate limits', () => {
  it('requests per minute: the third is refused with 429, retry-after, and a message naming the limit', async () => {
    const client = new OpenAI({ apiKey: RPM_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create(chat);
    await client.chat.completions.create(chat);
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${RPM_KEY}` },
      body: JSON.stringify(chat),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await res.json()) as any;
    expect(body.error).toMatchObject({ type: 'rate_limit_error', code: 'token_rpm_exceeded' });
    expect(body.error.message).toMatch(/2 requests per minute/);
    // The same refusal in Anthropic's dialect.
    const a = await fetch(`${gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': RPM_KEY },
      body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(a.status).toBe(429);
    expect(await a.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('concurrency: a second request while one is in flight is refused; the slot frees afterwards', async () => {
    const slow = fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CC_KEY}`, 'x-sim-fault': 'latency:300' },
      body: JSON.stringify(chat),
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = await fetch(`${gw.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': CC_KEY },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
    });
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ error: { status: 'RESOURCE_EXHAUSTED', message: expect.stringMatching(/concurrency/) } });
    expect((await slow).status).toBe(200);
    const third = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CC_KEY}` },
      body: JSON.stringify(chat),
    });
    expect(third.status).toBe(200);
  });
});

describe('billing follows the request', () => {
  it('a served request is charged to token and user; a refused or failed one costs nothing but leaves a row', async () => {
    await gw.gw.usage.flush(); // earlier tests' charges land first
    const before = await gw.gw.repos.users.byName('bob');
    const client = new OpenAI({ apiKey: PLAIN_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create(chat);
    await expect(
      client.chat.completions.create(chat, { headers: { 'x-sim-fault': '500' } }),
    ).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    const all = await rows();
    const mine = all.filter((r) => r.token_name === 'plain');
    expect(mine.map((r) => r.status).sort()).toEqual([200, 500]);
    const ok = mine.find((r) => r.status === 200)!;
    const failed = mine.find((r) => r.status === 500)!;
    expect(ok.cost_micros).toBeGreaterThan(0);
    expect(JSON.parse(ok.cost_detail!)).toBeTypeOf('object');
    expect(failed.cost_micros).toBe(0);
    const after = await gw.gw.repos.users.byName('bob');
    expect(before!.balanceMicros - after!.balanceMicros).toBe(ok.cost_micros);
    expect(after!.usedMicros - before!.usedMicros).toBe(ok.cost_micros);
  });

  it('a client that abandons a stream mid-way is billed for the usage reported or the text delivered', async () => {
    const client = new Anthropic({ apiKey: PLAIN_KEY, baseURL: gw.url, maxRetries: 0 });
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 2000, messages: [{ role: 'user', content: 'a long story' }] }, { headers: { 'x-sim-fault': 'drip:40' } });
    let seen = 0;
    for await (const ev of stream) {
      if (ev.type === 'content_block_delta') seen++;
      if (seen >= 3) break; // leaves the stream: the SDK aborts the request
    }
    await new Promise((r) => setTimeout(r, 200));
    const row = (await rows()).find((r) => r.token_name === 'plain' && r.route === 'anthropic.messages')!;
    expect(row.status).toBe(499);
    // message_start carried the input tokens, so usage came from the upstream.
    expect(row.input_tokens).toBeGreaterThan(0);
    expect(row.cost_micros).toBeGreaterThan(0);
  });

  it('an OpenAI stream abandoned before its usage chunk is billed for the prompt estimate and the text delivered', async () => {
    const client = new OpenAI({ apiKey: PLAIN_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
    const body = { model: 'gpt-4o-mini', max_tokens: 500, stream: true as const, messages: [{ role: 'user' as const, content: 'a long story about a lighthouse' }] };
    const stream = await client.chat.completions.create(body, { headers: { 'x-sim-fault': 'drip:40' } });
    let text = '';
    let deltas = 0;
    for await (const chunk of stream) {
      const piece = chunk.choices[0]?.delta.content ?? '';
      text += piece;
      if (piece && ++deltas >= 3) break; // leaves the stream: the SDK aborts the request
    }
    await new Promise((r) => setTimeout(r, 200));
    const row = (await rows()).find((r) => r.token_name === 'plain' && r.route === 'openai.chat' && r.is_stream === 1)!;
    expect(row.status).toBe(499);
    // No usage chunk came (it is the stream's last): the charge is the prompt estimate plus the text that
    // reached the client, at gpt-4o-mini's $0.15 / $0.60 per million tokens (the row's token counts stay 0).
    const detail = JSON.parse(row.cost_detail!) as { input: number; output: number };
    expect(Math.round(detail.input / 0.15)).toBe(Math.ceil(Buffer.byteLength(JSON.stringify(body)) / 4));
    const outputTokens = Math.round(detail.output / 0.6);
    expect(outputTokens).toBeGreaterThanOrEqual(Math.ceil(text.length / 4));
    expect(outputTokens).toBeLessThan(Math.ceil(text.length / 4) + 20);
    expect(row.cost_micros).toBeGreaterThan(0);
  });
});
