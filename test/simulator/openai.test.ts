import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { decodePng, get, post, sseData } from './helpers.js';

let sim: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator();
  client = new OpenAI({ apiKey: 'sk-test-1234', baseURL: `${sim.url}/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city'] },
  },
};

describe('chat completions', () => {
  it('answers deterministically with usage details', async () => {
    const ask = () => client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello' }] });
    const a = await ask();
    const b = await ask();
    expect(a.object).toBe('chat.completion');
    expect(a.model).toBe('gpt-4o-mini');
    expect(a.choices[0]?.message.role).toBe('assistant');
    expect(a.choices[0]?.message.content).toContain('Say hello');
    expect(a.choices[0]?.finish_reason).toBe('stop');
    expect(a.choices[0]?.message.content).toBe(b.choices[0]?.message.content);
    expect(a.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(a.usage?.total_tokens).toBe((a.usage?.prompt_tokens ?? 0) + (a.usage?.completion_tokens ?? 0));
    expect(a.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(a.usage?.completion_tokens_details?.reasoning_tokens).toBe(0);
  });

  it('reports reasoning tokens for reasoning models and refuses max_tokens there', async () => {
    const r = await client.chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'think' }] });
    expect(r.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    await expect(
      client.chat.completions.create({ model: 'o4-mini', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 400, code: 'unsupported_parameter' });
  });

  it('reports cached tokens when a long prompt prefix repeats', async () => {
    const system = 'You are a careful assistant. '.repeat(200);
    const ask = (q: string) =>
      client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'system', content: system }, { role: 'user', content: q }] });
    const first = await ask('one');
    const second = await ask('two');
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBeGreaterThanOrEqual(1024);
    expect((second.usage?.prompt_tokens_details?.cached_tokens ?? 0) % 128).toBe(0);
  });

  it('honours max_tokens with finish_reason length, and n choices', async () => {
    const r = await client.chat.completions.create({ model: 'gpt-4o', max_tokens: 5, n: 3, messages: [{ role: 'user', content: 'Tell me a long story' }] });
    expect(r.choices).toHaveLength(3);
    for (const c of r.choices) {
      expect(c.finish_reason).toBe('length');
      expect((c.message.content ?? '').length).toBeLessThanOrEqual(20);
    }
    expect(r.choices.map((c) => c.index)).toEqual([0, 1, 2]);
  });

  it('streams with a role delta first, [DONE] last and a usage chunk when asked', async () => {
    const res = await post(`${sim.url}/v1/chat/completions`, {
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Stream please' }],
    }, { authorization: 'Bearer sk-test' });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const data = sseData(res.text);
    expect(data[data.length - 1]).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
    const usageChunk = chunks[chunks.length - 1];
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.completion_tokens).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    expect(finish.choices[0].finish_reason).toBe('stop');
  });

  it('streams through the SDK and reassembles the same text as the whole answer', async () => {
    const messages = [{ role: 'user' as const, content: 'Compare me' }];
    const whole = await client.chat.completions.create({ model: 'gpt-4o', messages });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(whole.choices[0]?.message.content);
  });

  it('calls a tool when tools are given and the last message is from the user', async () => {
    const r = await client.chat.completions.create({ model: 'gpt-4o', tools: [weatherTool], messages: [{ role: 'user', content: 'Weather in Oslo?' }] });
    const call = r.choices[0]?.message.tool_calls?.[0];
    expect(r.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'sample', days: 1 });
    const after = await client.chat.completions.create({
      model: 'gpt-4o',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"temp":3}' },
      ],
    });
    expect(after.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams a tool call by index with the arguments in pieces', async () => {
    const stream = await client.chat.completions.create({ model: 'gpt-4o', stream: true, tools: [weatherTool], messages: [{ role: 'user', content: 'Weather?' }] });
    const pieces: string[] = [];
    let name = '';
    let finish = '';
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      for (const tc of choice?.delta.tool_calls ?? []) {
        expect(tc.index).toBe(0);
        if (tc.function?.name) name = tc.function.name;
        if (tc.function?.arguments) pieces.push(tc.function.arguments);
      }
      if (choice?.finish_reason) finish = choice.finish_reason;
    }
    expect(name).toBe('get_weather');
    expect(pieces.length).toBeGreaterThan(1);
    expect(JSON.parse(pieces.join(''))).toEqual({ city: 'sample', days: 1 });
    expect(finish).toBe('tool_calls');
  });

  it('follows a json_schema response format', async () => {
    const r = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'json' }],
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } } },
    });
    expect(JSON.parse(r.choices[0]?.message.content ?? '')).toEqual({ ok: true });
  });
});

describe('embeddings, images, models', () => {
  it('returns deterministic unit vectors, as base64 through the SDK and floats raw', async () => {
    const r = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(r.data).toHaveLength(2);
    expect(r.data[0]?.embedding).toHaveLength(1536);
    const norm = Math.hypot(...(r.data[0]?.embedding ?? []));
    expect(norm).toBeCloseTo(1, 3);
    const raw = await post(`${sim.url}/v1/embeddings`, { model: 'text-embedding-3-small', input: 'a', dimensions: 8 }, { authorization: 'Bearer k' });
    expect(raw.json.data[0].embedding).toHaveLength(8);
    expect(raw.json.usage.prompt_tokens).toBe(1);
  });

  it('generates a gpt-image-1 PNG at the asked size with usage', async () => {
    const r = await client.images.generate({ model: 'gpt-image-1', prompt: 'a lighthouse', size: '1536x1024', quality: 'low' });
    const b64 = r.data?.[0]?.b64_json ?? '';
    expect(decodePng(b64)).toEqual({ width: 1536, height: 1024 });
    expect(r.usage?.output_tokens).toBe(400);
    expect(r.usage?.input_tokens).toBeGreaterThan(0);
  });

  it('serves dall-e-3 images by URL, fetchable from the simulator', async () => {
    const r = await client.images.generate({ model: 'dall-e-3', prompt: 'a fox', size: '1792x1024' });
    const url = r.data?.[0]?.url ?? '';
    expect(r.data?.[0]?.revised_prompt).toBe('a fox');
    const png = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(decodePng(png)).toEqual({ width: 1792, height: 1024 });
  });

  it('refuses an unsupported image size in OpenAI shape', async () => {
    await expect(client.images.generate({ model: 'gpt-image-1', prompt: 'x', size: '999x999' as '1024x1024' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_value',
      param: 'size',
    });
  });

  it('lists models in OpenAI shape', async () => {
    const page = await client.models.list();
    expect(page.data.some((m) => m.id === 'gpt-4o')).toBe(true);
    const raw = await get(`${sim.url}/v1/models`, { authorization: 'Bearer k' });
    expect(raw.json.object).toBe('list');
  });
});

describe('OpenAI refusals', () => {
  const url = () => `${sim.url}/v1/chat/completions`;
  const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

  it('401 without a key and with an invalid key', async () => {
    const none = await post(url(), body);
    expect(none.status).toBe(401);
    expect(none.json.error).toMatchObject({ type: 'invalid_request_error', param: null, code: null });
    const bad = await post(url(), body, { authorization: 'Bearer sk-invalid-xyz' });
    expect(bad.status).toBe(401);
    expect(bad.json.error.code).toBe('invalid_api_key');
  });

  it('429 insufficient_quota for a nocredit key', async () => {
    const r = await post(url(), body, { authorization: 'Bearer sk-nocredit-1' });
    expect(r.status).toBe(429);
    expect(r.json.error).toMatchObject({ type: 'insufficient_quota', code: 'insufficient_quota' });
  });

  it('400 for malformed JSON and missing fields', async () => {
    const auth = { authorization: 'Bearer k' };
    const broken = await post(url(), '{"model": ', auth);
    expect(broken.status).toBe(400);
    expect(broken.json.error.type).toBe('invalid_request_error');
    expect(broken.json.error.message).toContain('could not parse the JSON body');
    const noMessages = await post(url(), { model: 'gpt-4o' }, auth);
    expect(noMessages.status).toBe(400);
    expect(noMessages.json.error).toMatchObject({ param: 'messages', code: 'missing_required_parameter' });
    const noModel = await post(url(), { messages: [] }, auth);
    expect(noModel.status).toBe(400);
    const unknown = await post(url(), { ...body, model: 'gpt-nonexistent' }, auth);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('model_not_found');
  });

  it('404 in OpenAI shape for an unknown route', async () => {
    const r = await post(`${sim.url}/v1/nothing`, {}, { authorization: 'Bearer k' });
    expect(r.status).toBe(404);
    expect(r.json.error.message).toContain('Invalid URL');
  });
});
