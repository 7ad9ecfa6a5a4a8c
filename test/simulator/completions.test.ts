import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { post, sseData } from './helpers.js';

let sim: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `${sim.url}/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());

const model = 'gpt-3.5-turbo-instruct';

describe('legacy completions', () => {
  it('answers through the SDK, cut at the default 16 max_tokens', async () => {
    const r = await client.completions.create({ model, prompt: 'Once upon a time' });
    expect(r.object).toBe('text_completion');
    expect(r.id).toMatch(/^cmpl-/);
    expect(r.choices).toHaveLength(1);
    expect(r.choices[0]).toMatchObject({ index: 0, logprobs: null, finish_reason: 'length' });
    expect(r.usage?.completion_tokens).toBeLessThanOrEqual(16);
    expect(r.usage?.total_tokens).toBe((r.usage?.prompt_tokens ?? 0) + (r.usage?.completion_tokens ?? 0));
    const long = await client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 200 });
    expect(long.choices[0]?.finish_reason).toBe('stop');
    expect(long.choices[0]?.text).toContain('Once upon a time');
    expect(long.choices[0]?.text.startsWith(r.choices[0]?.text ?? '?')).toBe(true);
  });

  it('numbers choices prompt by prompt for a prompt array with n, and echoes', async () => {
    const r = await client.completions.create({ model, prompt: ['alpha', 'beta'], n: 2, max_tokens: 100, echo: true });
    expect(r.choices.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(r.choices[0]?.text.startsWith('alpha')).toBe(true);
    expect(r.choices[2]?.text.startsWith('beta')).toBe(true);
    expect(r.choices[0]?.text).not.toBe(r.choices[1]?.text);
  });

  it('streams text chunks, a usage chunk when asked, then data: [DONE]', async () => {
    const res = await post(`${sim.url}/v1/completions`, { model, prompt: 'stream me', max_tokens: 100, stream: true, stream_options: { include_usage: true } }, { authorization: 'Bearer k' });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const data = sseData(res.text);
    expect(data[data.length - 1]).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks.every((c) => c.object === 'text_completion')).toBe(true);
    const usage = chunks[chunks.length - 1];
    expect(usage.choices).toEqual([]);
    expect(usage.usage.completion_tokens).toBeGreaterThan(0);
    const text = chunks.slice(0, -1).map((c) => c.choices[0].text).join('');
    const whole = await client.completions.create({ model, prompt: 'stream me', max_tokens: 100 });
    expect(text).toBe(whole.choices[0]?.text);
    expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('stop');
    const sdk = await client.completions.create({ model, prompt: 'stream me', max_tokens: 100, stream: true });
    let sdkText = '';
    for await (const chunk of sdk) sdkText += chunk.choices[0]?.text ?? '';
    expect(sdkText).toBe(text);
  });

  it('refuses chat models and bad prompts as OpenAI does', async () => {
    await expect(client.completions.create({ model: 'gpt-4o', prompt: 'x' })).rejects.toMatchObject({ status: 404, param: 'model' });
    const bad = await post(`${sim.url}/v1/completions`, { model, prompt: { text: 'x' } }, { authorization: 'Bearer k' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ param: 'prompt', code: 'invalid_type' });
  });
});
