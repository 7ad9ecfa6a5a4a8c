// Faults and the journal on the routes added for the dialect hub: responses,
// completions, image edits, audio, moderations, rerank.
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { makePng, post, sseEvents } from './helpers.js';

let sim: RunningSimulator;
const oa = { authorization: 'Bearer sk-test' };

beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.journal?.clear());

async function readAll(path: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let error: unknown;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
  } catch (err) {
    error = err;
  }
  const bytes = Buffer.concat(chunks);
  return { status: res.status, headers: res.headers, bytes, text: bytes.toString('utf8'), error };
}

describe('faults on the new routes', () => {
  it('status faults answer in OpenAI’s shape on every new JSON route', async () => {
    const routes: [string, unknown][] = [
      ['/v1/responses', { model: 'gpt-4o', input: 'x' }],
      ['/v1/completions', { model: 'gpt-3.5-turbo-instruct', prompt: 'x' }],
      ['/v1/audio/speech', { model: 'tts-1', voice: 'alloy', input: 'x' }],
      ['/v1/moderations', { input: 'x' }],
      ['/v1/rerank', { model: 'r', query: 'q', documents: ['a'] }],
    ];
    for (const [path, body] of routes) {
      const r = await post(`${sim.url}${path}`, body, { ...oa, 'x-sim-fault': '429' });
      expect(r.status, path).toBe(429);
      expect(r.headers.get('retry-after')).toBe('1');
      expect(r.json.error.code).toBe('rate_limit_exceeded');
    }
    const byModel = await post(`${sim.url}/v1/responses`, { model: 'gpt-4o@fault=503', input: 'x' }, oa);
    expect(byModel.status).toBe(503);
    expect(byModel.json.error.type).toBe('server_error');
  });

  it('reads a @fault= suffix from a multipart model field', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0 });
    const image = await toFile(Buffer.from(makePng(8, 8), 'base64'), 'a.png', { type: 'image/png' });
    await expect(client.images.edit({ model: 'gpt-image-1@fault=500', image, prompt: 'x' })).rejects.toMatchObject({ status: 500 });
    const audio = await toFile(Buffer.alloc(4000), 'a.mp3', { type: 'audio/mpeg' });
    await expect(client.audio.transcriptions.create({ model: 'whisper-1@fault=429', file: audio })).rejects.toMatchObject({ status: 429 });
    const entries = sim.journal?.list() ?? [];
    expect(entries.map((e) => e.path)).toEqual(['/v1/images/edits', '/v1/audio/transcriptions']);
    expect(entries[0]?.body).toMatchObject({ model: 'gpt-image-1@fault=500', prompt: 'x' });
  });

  it('cut-after:N drops a Responses stream after N events', async () => {
    const r = await readAll('/v1/responses', { model: 'gpt-4o', input: 'x', stream: true }, { ...oa, 'x-sim-fault': 'cut-after:3' });
    expect(r.status).toBe(200);
    expect(sseEvents(r.text)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added']);
    expect(r.error).toBeDefined();
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0, defaultHeaders: { 'x-sim-fault': 'cut-after:5' } });
    await expect(client.responses.stream({ model: 'gpt-4o', input: 'x' }).finalResponse()).rejects.toThrow();
  });

  it('cut-after:N drops a completions stream and the speech audio mid-way', async () => {
    const completion = await readAll('/v1/completions', { model: 'davinci-002', prompt: 'x', stream: true }, { ...oa, 'x-sim-fault': 'cut-after:2' });
    expect(completion.text).not.toContain('[DONE]');
    expect(completion.error).toBeDefined();
    const speech = await readAll('/v1/audio/speech', { model: 'tts-1', voice: 'alloy', input: 'x'.repeat(400), response_format: 'wav' }, { ...oa, 'x-sim-fault': 'cut-after:1' });
    expect(speech.status).toBe(200);
    expect(speech.bytes.length).toBe(64 * 1024);
    expect(speech.error).toBeDefined();
  });

  it('reset and latency work on the new routes', async () => {
    const reset = await fetch(`${sim.url}/v1/rerank`, { method: 'POST', headers: { ...oa, 'x-sim-fault': 'reset' }, body: '{}' }).catch((e) => e);
    expect(reset).toBeInstanceOf(Error);
    const late = await post(`${sim.url}/v1/moderations`, { input: 'x' }, { ...oa, 'x-sim-fault': 'latency:20' });
    expect(late.status).toBe(200);
    expect(late.json.results).toHaveLength(1);
  });
});

describe('journal on the new routes', () => {
  it('keeps a multipart summary even when the upload is larger than the JSON body limit', async () => {
    const form = new FormData();
    form.append('model', 'whisper-1');
    form.append('file', new Blob([Buffer.alloc(400 * 1024)], { type: 'audio/mpeg' }), 'long.mp3');
    const res = await fetch(`${sim.url}/v1/audio/transcriptions`, { method: 'POST', body: form, headers: { authorization: 'Bearer sk-secret-9876' } });
    expect(res.status).toBe(200);
    const [entry] = sim.journal?.list() ?? [];
    expect(entry?.bodyBytes).toBeGreaterThan(400 * 1024);
    expect(entry?.headers.authorization).toBe('Bearer ***9876');
    expect(entry?.body).toEqual({ model: 'whisper-1', files: [{ field: 'file', filename: 'long.mp3', contentType: 'audio/mpeg', bytes: 400 * 1024 }] });
  });

  it('records JSON bodies of the new routes as sent', async () => {
    await post(`${sim.url}/v1/responses`, { model: 'gpt-4o', input: 'journal me' }, oa);
    expect(sim.journal?.list()[0]?.body).toEqual({ model: 'gpt-4o', input: 'journal me' });
  });
});
