import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { post, sseData } from './helpers.js';

let sim: RunningSimulator;
const oa = { authorization: 'Bearer sk-test' };
const gk = { 'x-goog-api-key': 'AIza-test' };
const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hello there' }] };
const gem = { contents: [{ parts: [{ text: 'hello there' }] }] };

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.journal?.clear());

const chatUrl = () => `${sim.url}/v1/chat/completions`;
const gemUrl = (model: string, method = 'generateContent') => `${sim.url}/v1beta/models/${model}:${method}`;

/** Reads a response body to the end or to the error that cut it. */
async function readAll(url: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let error: unknown;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } catch (err) {
    error = err;
  }
  return { status: res.status, headers: res.headers, text, error };
}

async function socketError(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    const cause = (err as { cause?: { code?: string; name?: string } }).cause;
    return cause?.code ?? cause?.name ?? (err as Error).name;
  }
  throw new Error('expected the request to fail');
}

describe('status faults', () => {
  it('429 with retry-after: 1 and each provider’s own 429 body', async () => {
    const o = await post(chatUrl(), chat, { ...oa, 'x-sim-fault': '429' });
    expect(o.status).toBe(429);
    expect(o.headers.get('retry-after')).toBe('1');
    expect(o.json.error.code).toBe('rate_limit_exceeded');
    const a = await post(`${sim.url}/v1/messages`, { model: 'claude-sonnet-4-6', max_tokens: 5, messages: chat.messages }, { 'x-api-key': 'k', 'anthropic-version': '2023-06-01', 'x-sim-fault': '429' });
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('1');
    expect(a.json).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    const g = await post(gemUrl('gemini-2.5-flash'), gem, { ...gk, 'x-sim-fault': '429' });
    expect(g.status).toBe(429);
    expect(g.headers.get('retry-after')).toBe('1');
    expect(g.json.error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED' });
  });

  it('500 and 503 in each provider’s shape', async () => {
    const o500 = await post(chatUrl(), chat, { ...oa, 'x-sim-fault': '500' });
    expect(o500.status).toBe(500);
    expect(o500.json.error.type).toBe('server_error');
    const g503 = await post(gemUrl('gemini-2.5-flash'), gem, { ...gk, 'x-sim-fault': '503' });
    expect(g503.status).toBe(503);
    expect(g503.json.error.status).toBe('UNAVAILABLE');
    const g500 = await post(gemUrl('gemini-2.5-flash'), gem, { ...gk, 'x-sim-fault': '500' });
    expect(g500.json.error.status).toBe('INTERNAL');
    const a529 = await post(`${sim.url}/v1/messages`, { model: 'c', max_tokens: 5, messages: chat.messages }, { 'x-api-key': 'k', 'anthropic-version': '2023-06-01', 'x-sim-fault': '529' });
    expect(a529.status).toBe(529);
    expect(a529.json.error.type).toBe('overloaded_error');
  });

  it('the OpenAI SDK retries a 429 after retry-after, and the journal shows both attempts', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 1, defaultHeaders: { 'x-sim-fault': '429' } });
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 429 });
    expect(sim.journal?.list().filter((e) => e.path === '/v1/chat/completions')).toHaveLength(2);
  });

  it('refuses an unknown fault name clearly', async () => {
    const r = await post(chatUrl(), chat, { ...oa, 'x-sim-fault': 'explode' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('bad fault');
  });
});

describe('connection faults', () => {
  it('reset: the client sees a socket error and no response', async () => {
    const code = await socketError(fetch(chatUrl(), { method: 'POST', headers: { ...oa, 'x-sim-fault': 'reset' }, body: JSON.stringify(chat) }));
    expect(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']).toContain(code);
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-sim-fault': 'reset' } });
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] })).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });

  it('stall: nothing arrives, so a client timeout fires; a short stall ends in a closed connection', async () => {
    const timedOut = await socketError(
      fetch(chatUrl(), { method: 'POST', headers: { ...oa, 'x-sim-fault': 'stall:5000' }, body: JSON.stringify(chat), signal: AbortSignal.timeout(150) }),
    );
    expect(timedOut).toBe('TimeoutError');
    const closed = await socketError(fetch(chatUrl(), { method: 'POST', headers: { ...oa, 'x-sim-fault': 'stall:30' }, body: JSON.stringify(chat) }));
    expect(['UND_ERR_SOCKET', 'ECONNRESET']).toContain(closed);
  });

  it('latency: the answer is complete, only late (a short client timeout gives up first)', async () => {
    const late = await post(chatUrl(), chat, { ...oa, 'x-sim-fault': 'latency:50' });
    expect(late.status).toBe(200);
    expect(late.json.choices[0].message.content).toContain('hello there');
    const impatient = await socketError(
      fetch(chatUrl(), { method: 'POST', headers: { ...oa, 'x-sim-fault': 'latency:3000' }, body: JSON.stringify(chat), signal: AbortSignal.timeout(100) }),
    );
    expect(impatient).toBe('TimeoutError');
  });
});

describe('cut-after', () => {
  it('cuts an OpenAI stream after N chunks: the raw reader sees N frames then an error', async () => {
    const r = await readAll(chatUrl(), { ...chat, stream: true }, { ...oa, 'x-sim-fault': 'cut-after:3' });
    expect(r.status).toBe(200);
    expect(sseData(r.text)).toHaveLength(3);
    expect(r.error).toBeDefined();
    expect(r.text).not.toContain('[DONE]');
  });

  it('the OpenAI SDK sees a truncated stream as an error after some chunks', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-sim-fault': 'cut-after:2' } });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'x' }] });
    let seen = 0;
    await expect(
      (async () => {
        for await (const _chunk of stream) seen++;
      })(),
    ).rejects.toThrow();
    expect(seen).toBe(2);
  });

  it('cuts Anthropic and Gemini streams too (SDKs raise)', async () => {
    const anthropic = new Anthropic({ apiKey: 'k', baseURL: sim.url, maxRetries: 0, defaultHeaders: { 'x-sim-fault': 'cut-after:4' } });
    await expect(anthropic.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] }).finalMessage()).rejects.toThrow();
    const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: sim.url, headers: { 'x-sim-fault': 'cut-after:1' } } });
    let chunks = 0;
    await expect(
      (async () => {
        for await (const _c of await ai.models.generateContentStream({ model: 'gemini-3-pro-image-preview', contents: 'x' })) chunks++;
      })(),
    ).rejects.toThrow();
    expect(chunks).toBeLessThanOrEqual(1);
  });

  it('cuts a Gemini JSON-array stream after N elements', async () => {
    const r = await readAll(gemUrl('gemini-2.0-flash', 'streamGenerateContent'), gem, { ...gk, 'x-sim-fault': 'cut-after:2' });
    expect(r.error).toBeDefined();
    expect(r.text.startsWith('[')).toBe(true);
    expect(r.text.endsWith(']')).toBe(false);
    expect(r.text.split(',\r\n')).toHaveLength(2);
  });

  it('cuts a non-stream body: headers, about half the body, then the connection drops', async () => {
    const r = await readAll(gemUrl('gemini-2.5-flash-image'), gem, { ...gk, 'x-sim-fault': 'cut-after:1' });
    expect(r.status).toBe(200);
    const full = Number(r.headers.get('content-length'));
    expect(full).toBeGreaterThan(1_000_000);
    expect(r.error).toBeDefined();
    expect(r.text.length).toBeLessThan(full);
    expect(r.text.length).toBeGreaterThan(0);
  });

  it('cut-mid-event:N sends N whole events, then half of the next one without its blank line', async () => {
    const r = await readAll(chatUrl(), { ...chat, stream: true }, { ...oa, 'x-sim-fault': 'cut-mid-event:2' });
    expect(r.status).toBe(200);
    expect(r.error).toBeDefined();
    const events = r.text.split('\n\n');
    expect(events).toHaveLength(3);
    events.slice(0, 2).forEach((e) => expect(JSON.parse(e.replace(/^data: /, '')).object).toBe('chat.completion.chunk'));
    expect(events[2]).toMatch(/^data: \{"/);
    expect(() => JSON.parse(events[2]!.slice(6))).toThrow();
    // Gemini's CRLF frames and Anthropic's event: lines are cut the same way.
    const g = await readAll(gemUrl('gemini-2.0-flash', 'streamGenerateContent?alt=sse'), gem, { ...gk, 'x-sim-fault': 'cut-mid-event:1' });
    expect(g.error).toBeDefined();
    expect(g.text.split('\r\n\r\n')).toHaveLength(2);
    expect(g.text.split('\r\n\r\n')[1]).toMatch(/^data: \{"/);
    const a = await readAll(`${sim.url}/v1/messages`, { model: 'claude-sonnet-4-6', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'x' }] }, {
      'x-api-key': 'k',
      'anthropic-version': '2023-06-01',
      'x-sim-fault': 'cut-mid-event:0',
    });
    expect(a.error).toBeDefined();
    expect(a.text).toMatch(/^event: message_start\n/);
    expect(a.text).not.toContain('\n\n');
  });

  it('combines faults: latency then a cut stream', async () => {
    const r = await readAll(gemUrl('gemini-2.0-flash', 'streamGenerateContent?alt=sse'), gem, { ...gk, 'x-sim-fault': 'latency:50,cut-after:2' });
    expect(r.error).toBeDefined();
    expect(sseData(r.text)).toHaveLength(2);
  });
});

describe('robustness', () => {
  it('survives clients that leave mid-stream and keeps serving', async () => {
    const controller = new AbortController();
    const res = await fetch(gemUrl('gemini-3-pro-image-preview', 'streamGenerateContent?alt=sse'), {
      method: 'POST',
      headers: gk,
      body: JSON.stringify({ ...gem, generationConfig: { imageConfig: { imageSize: '2K' } } }),
      signal: controller.signal,
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    controller.abort();
    await expect(reader.read()).rejects.toThrow();
    const after = await post(chatUrl(), chat, oa);
    expect(after.status).toBe(200);
  });
});

describe('faults by model suffix', () => {
  it('strips @fault= from Gemini path models and OpenAI body models before lookup', async () => {
    const g = await post(gemUrl('gemini-2.5-flash-image@fault=429'), gem, gk);
    expect(g.status).toBe(429);
    expect(g.headers.get('retry-after')).toBe('1');
    expect(g.json.error.status).toBe('RESOURCE_EXHAUSTED');
    const cut = await readAll(gemUrl('gemini-2.0-flash@fault=cut-after:3', 'streamGenerateContent?alt=sse'), gem, gk);
    expect(sseData(cut.text)).toHaveLength(3);
    expect(cut.error).toBeDefined();
    const ok = await post(gemUrl('gemini-2.0-flash@fault=latency:10'), gem, gk);
    expect(ok.status).toBe(200);
    expect(ok.json.modelVersion).toBe('gemini-2.0-flash');
    const o = await post(chatUrl(), { ...chat, model: 'gpt-4o@fault=503' }, oa);
    expect(o.status).toBe(503);
    const plain = await post(chatUrl(), { ...chat, model: 'gpt-4o@fault=latency:5' }, oa);
    expect(plain.json.model).toBe('gpt-4o');
  });

  it('works for a client that cannot set headers (the Gemini SDK, model name only)', async () => {
    const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: sim.url } });
    await expect(ai.models.generateContent({ model: 'gemini-2.5-flash@fault=500', contents: 'x' })).rejects.toMatchObject({ status: 500 });
  });
});
