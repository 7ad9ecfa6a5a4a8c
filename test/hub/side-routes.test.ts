// The routes around generation: token counts (a local estimate when no
// channel can count in the client's dialect), embeddings across OpenAI and
// Gemini, models lists per dialect filtered by the token's allow-list, and
// the key headers each SDK sends.
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NARROW_KEY, PNG_BASE64, startHub, TOKEN_KEY, type Hub } from './rig.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.close();
});

const LONG_PROMPT = 'The tide comes in twice a day along this coast. '.repeat(10); // 480 characters

describe('count tokens', () => {
  it('Anthropic count_tokens for a Gemini model: a local estimate, nothing sent upstream', async () => {
    await hub.sim.clear();
    const res = await hub.anthropic.messages.countTokens({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: LONG_PROMPT }] });
    // 480 characters at about four a token, plus the envelope.
    expect(res.input_tokens).toBeGreaterThanOrEqual(120);
    expect(res.input_tokens).toBeLessThan(160);
    expect((await hub.upstream()).filter((r) => r.method === 'POST')).toHaveLength(0);

    const withImage = await hub.anthropic.messages.countTokens({
      model: 'gemini-2.5-flash',
      messages: [{ role: 'user', content: [{ type: 'text', text: LONG_PROMPT }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64.repeat(2) } }] }],
    });
    expect(withImage.input_tokens).toBeGreaterThan(res.input_tokens);
  });

  it('Anthropic count_tokens for a Claude model is counted by the Anthropic channel', async () => {
    await hub.sim.clear();
    const res = await hub.anthropic.messages.countTokens({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: LONG_PROMPT }] });
    expect(res.input_tokens).toBeGreaterThan(100);
    const [call] = await hub.upstream();
    expect(call!.path).toBe('/v1/messages/count_tokens');
  });

  it('Gemini countTokens for Claude and GPT models: local estimates; for Gemini: the channel', async () => {
    for (const model of ['claude-haiku-4-5', 'gpt-4o-mini']) {
      const res = await hub.gemini.models.countTokens({ model, contents: LONG_PROMPT });
      expect(res.totalTokens).toBeGreaterThanOrEqual(120);
      expect(res.totalTokens).toBeLessThan(160);
    }
    await hub.sim.clear();
    const res = await hub.gemini.models.countTokens({ model: 'gemini-2.5-flash', contents: LONG_PROMPT });
    expect(res.totalTokens).toBe(120);
    const [call] = await hub.upstream();
    expect(call!.path).toBe('/v1beta/models/gemini-2.5-flash:countTokens');
  });
});

describe('embeddings across dialects', () => {
  it('OpenAI client → gemini-embedding-001 on the gemini channel (the SDK asks for base64)', async () => {
    await hub.sim.clear();
    const res = await hub.openai.embeddings.create({ model: 'gemini-embedding-001', input: ['first text', 'second text'] });
    expect(res.object).toBe('list');
    expect(res.model).toBe('gemini-embedding-001');
    expect(res.data.map((d) => d.index)).toEqual([0, 1]);
    expect(res.data[0]!.embedding).toHaveLength(3072);
    expect(res.data[0]!.embedding).not.toEqual(res.data[1]!.embedding);
    // Unit vectors, decoded from the base64 floats the SDK asked for.
    const norm = Math.sqrt(res.data[0]!.embedding.reduce((s, v) => s + v * v, 0));
    expect(norm).toBeCloseTo(1, 3);
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
    const [call] = await hub.upstream();
    expect(call!.path).toBe('/v1beta/models/gemini-embedding-001:batchEmbedContents');
    const row = await hub.lastRow();
    expect(row).toMatchObject({ model_requested: 'gemini-embedding-001', channel_id: hub.channelId('gemini'), status: 200 });
    expect(row.input_tokens).toBe(res.usage.prompt_tokens);
  });

  it('OpenAI client → gemini: dimensions become outputDimensionality, float format honoured', async () => {
    const res = await hub.openai.embeddings.create({ model: 'gemini-embedding-001', input: 'short', dimensions: 256, encoding_format: 'float' });
    expect(res.data[0]!.embedding).toHaveLength(256);
  });

  it('Gemini client embedContent → text-embedding-3-small on the openai channel', async () => {
    await hub.sim.clear();
    const one = await hub.gemini.models.embedContent({ model: 'text-embedding-3-small', contents: 'a single text' });
    expect(one.embeddings).toHaveLength(1);
    expect(one.embeddings![0]!.values).toHaveLength(1536);
    const [call] = await hub.upstream();
    expect(call!.path).toBe('/v1/embeddings');
    expect(call!.body).toMatchObject({ model: 'text-embedding-3-small' });
    const row = await hub.lastRow();
    expect(row).toMatchObject({ model_requested: 'text-embedding-3-small', channel_id: hub.channelId('openai'), status: 200 });
    expect(row.input_tokens).toBeGreaterThan(0);

    const many = await hub.gemini.models.embedContent({ model: 'text-embedding-3-small', contents: ['one', 'two', 'three'], config: { outputDimensionality: 64 } });
    expect(many.embeddings).toHaveLength(3);
    for (const e of many.embeddings!) expect(e.values).toHaveLength(64);
  });
});

describe('models lists per dialect, filtered by the token', () => {
  const narrow = ['gpt-4o-mini', 'claude-haiku-4-5', 'gemini-2.5-flash'];

  it('OpenAI shape (Bearer), all models for an open token, the allow-list for a narrow one', async () => {
    const all = await hub.openai.models.list();
    const ids = all.data.map((m) => m.id);
    for (const m of ['gpt-4o-mini', 'o4-mini', 'claude-haiku-4-5', 'gemini-2.5-pro', 'gemini-embedding-001']) expect(ids).toContain(m);
    expect(all.data[0]).toMatchObject({ object: 'model', owned_by: expect.any(String) });

    const client = new OpenAI({ apiKey: NARROW_KEY, baseURL: `${hub.gw.url}/v1`, maxRetries: 0 });
    expect((await client.models.list()).data.map((m) => m.id).sort()).toEqual([...narrow].sort());
  });

  it('Anthropic shape (anthropic-version / x-api-key), through the SDK', async () => {
    const client = new Anthropic({ apiKey: NARROW_KEY, baseURL: hub.gw.url, maxRetries: 0 });
    const page = await client.models.list();
    expect(page.data.map((m) => m.id).sort()).toEqual([...narrow].sort());
    expect(page.data[0]).toMatchObject({ type: 'model', display_name: expect.any(String), created_at: expect.any(String) });

    const raw = await fetch(`${hub.gw.url}/v1/models`, { headers: { 'x-api-key': NARROW_KEY, 'anthropic-version': '2023-06-01' } });
    expect(await raw.json()).toMatchObject({ has_more: false, first_id: expect.any(String), last_id: expect.any(String) });
  });

  it('Gemini shape (GET /v1beta/models), through the SDK', async () => {
    const client = new GoogleGenAI({ apiKey: NARROW_KEY, httpOptions: { baseUrl: hub.gw.url, retryOptions: { attempts: 1 } } });
    const names: string[] = [];
    for await (const m of await client.models.list()) names.push(m.name!);
    expect(names.sort()).toEqual(narrow.map((m) => `models/${m}`).sort());

    const raw = (await (await fetch(`${hub.gw.url}/v1beta/models`, { headers: { 'x-goog-api-key': TOKEN_KEY } })).json()) as { models: any[] };
    const flash = raw.models.find((m) => m.name === 'models/gemini-2.5-flash');
    expect(flash.supportedGenerationMethods).toContain('generateContent');
    const embed = raw.models.find((m) => m.name === 'models/gemini-embedding-001');
    expect(embed.supportedGenerationMethods).toContain('embedContent');
  });

  it('a model outside the allow-list is refused in each dialect', async () => {
    const openai = new OpenAI({ apiKey: NARROW_KEY, baseURL: `${hub.gw.url}/v1`, maxRetries: 0 });
    const anthropic = new Anthropic({ apiKey: NARROW_KEY, baseURL: hub.gw.url, maxRetries: 0 });
    const gemini = new GoogleGenAI({ apiKey: NARROW_KEY, httpOptions: { baseUrl: hub.gw.url, retryOptions: { attempts: 1 } } });
    const e1 = await openai.chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    const e2 = await anthropic.messages.create({ model: 'gemini-2.5-pro', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }).catch((e) => e);
    const e3 = await gemini.models.generateContent({ model: 'claude-sonnet-4-6', contents: 'x' }).catch((e) => e);
    expect(e1).toBeInstanceOf(OpenAI.APIError);
    expect(e2).toBeInstanceOf(Anthropic.APIError);
    for (const e of [e1, e2, e3]) expect([403, 404]).toContain(e.status);
  });
});

describe('key headers', () => {
  // This SDK version sends the key as a Bearer token (every other Anthropic test here); older
  // ones and Claude Code send x-api-key alone.
  it('the Anthropic SDK with x-api-key alone (no Authorization) is accepted', async () => {
    let sent: Headers | undefined;
    const client = new Anthropic({
      apiKey: TOKEN_KEY,
      baseURL: hub.gw.url,
      maxRetries: 0,
      defaultHeaders: { 'X-Api-Key': TOKEN_KEY, Authorization: null },
      fetch: async (input, init) => {
        sent = new Headers(init?.headers);
        return fetch(input, init);
      },
    });
    const msg = await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 100, messages: [{ role: 'user', content: 'key check' }] });
    expect(msg.content[0]).toMatchObject({ type: 'text' });
    expect(sent!.get('x-api-key')).toBe(TOKEN_KEY);
    expect(sent!.get('authorization')).toBeNull();
  });

  it('x-api-key works on a converted route too (Anthropic dialect → Gemini channel), and the upstream gets the channel key, never the token', async () => {
    await hub.sim.clear();
    const res = await fetch(`${hub.gw.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TOKEN_KEY, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'gemini-2.5-flash', max_tokens: 100, messages: [{ role: 'user', content: 'key check' }] }),
    });
    expect(res.status).toBe(200);
    const [call] = await hub.upstream();
    expect(call!.headers['x-goog-api-key']).toMatch(/-key$|key$/);
    expect(JSON.stringify(call!.headers)).not.toContain(TOKEN_KEY.slice(-8));
  });
});
