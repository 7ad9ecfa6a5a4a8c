import { GoogleGenAI, type Schema } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { get, post, sseData } from './helpers.js';

let sim: RunningSimulator;
let ai: GoogleGenAI;
const key = { 'x-goog-api-key': 'AIza-test' };

beforeAll(async () => {
  sim = await startSimulator();
  ai = new GoogleGenAI({ apiKey: 'AIza-test', httpOptions: { baseUrl: sim.url } });
});
afterAll(() => sim.close());

describe('Gemini text', () => {
  it('generates deterministic text with usage, modelVersion and responseId', async () => {
    const r = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'Hello Gemini' });
    expect(r.text).toContain('Hello Gemini');
    expect(r.candidates?.[0]?.finishReason).toBe('STOP');
    expect(r.candidates?.[0]?.content?.role).toBe('model');
    expect(r.modelVersion).toBe('gemini-2.0-flash');
    expect(r.responseId).toBeTruthy();
    const u = r.usageMetadata;
    expect(u?.promptTokenCount).toBeGreaterThan(0);
    expect(u?.totalTokenCount).toBe((u?.promptTokenCount ?? 0) + (u?.candidatesTokenCount ?? 0));
    expect(u?.thoughtsTokenCount).toBeUndefined();
    const again = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'Hello Gemini' });
    expect(again.text).toBe(r.text);
  });

  it('thinks by default on 2.5 Flash, not with thinkingBudget 0; returns thought summaries when asked', async () => {
    const thinking = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' });
    expect(thinking.usageMetadata?.thoughtsTokenCount).toBeGreaterThan(0);
    const u = thinking.usageMetadata;
    expect(u?.totalTokenCount).toBe((u?.promptTokenCount ?? 0) + (u?.candidatesTokenCount ?? 0) + (u?.thoughtsTokenCount ?? 0));
    const off = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x', config: { thinkingConfig: { thinkingBudget: 0 } } });
    expect(off.usageMetadata?.thoughtsTokenCount).toBeUndefined();
    const summary = await ai.models.generateContent({ model: 'gemini-2.5-pro', contents: 'x', config: { thinkingConfig: { includeThoughts: true } } });
    const parts = summary.candidates?.[0]?.content?.parts ?? [];
    expect(parts[0]?.thought).toBe(true);
    expect(parts[1]?.thought).toBeUndefined();
    const pro0 = await post(`${sim.url}/v1beta/models/gemini-2.5-pro:generateContent`, { contents: [{ parts: [{ text: 'x' }] }], generationConfig: { thinkingConfig: { thinkingBudget: 0 } } }, key);
    expect(pro0.status).toBe(400);
  });

  it('stops with MAX_TOKENS at maxOutputTokens', async () => {
    const r = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'A long story', config: { maxOutputTokens: 4 } });
    expect(r.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
    expect(r.usageMetadata?.candidatesTokenCount).toBeLessThanOrEqual(4);
  });

  it('answers with a functionCall part when functions are declared', async () => {
    const r = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Weather in Paris?',
      config: { tools: [{ functionDeclarations: [{ name: 'get_weather', parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' } } } as Schema }] }] },
    });
    expect(r.functionCalls?.[0]).toMatchObject({ name: 'get_weather', args: { city: 'sample' } });
    const part = r.candidates?.[0]?.content?.parts?.find((p) => p.functionCall);
    expect(part?.thoughtSignature).toBeTruthy();
  });

  it('accepts snake_case bodies and answers in camelCase', async () => {
    const r = await post(`${sim.url}/v1beta/models/gemini-2.0-flash:generateContent`, {
      contents: [{ role: 'user', parts: [{ text: 'snake' }] }],
      system_instruction: { parts: [{ text: 'be brief' }] },
      generation_config: { max_output_tokens: 3 },
    }, key);
    expect(r.status).toBe(200);
    expect(r.json.candidates[0].finishReason).toBe('MAX_TOKENS');
    expect(r.json.usageMetadata.promptTokenCount).toBeGreaterThan(0);
    expect(r.text).not.toContain('usage_metadata');
  });

  it('streams SSE frames through the SDK and reassembles the whole text', async () => {
    const whole = await ai.models.generateContent({ model: 'gemini-2.0-flash', contents: 'Stream it' });
    let text = '';
    let chunks = 0;
    let last;
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'Stream it' })) {
      text += chunk.text ?? '';
      chunks++;
      last = chunk;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text).toBe(whole.text);
    expect(last?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(last?.usageMetadata?.candidatesTokenCount).toBe(whole.usageMetadata?.candidatesTokenCount);
  });

  it('streams SSE as data: frames separated by CRLF CRLF, without [DONE]', async () => {
    const r = await post(`${sim.url}/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse`, { contents: [{ parts: [{ text: 'raw' }] }] }, key);
    expect(r.headers.get('content-type')).toContain('text/event-stream');
    expect(r.text).toMatch(/^data: \{/);
    expect(r.text.endsWith('\r\n\r\n')).toBe(true);
    expect(r.text).not.toContain('[DONE]');
    const frames = sseData(r.text).map((d) => JSON.parse(d));
    expect(frames.length).toBeGreaterThan(1);
  });

  it('streams a JSON array without alt=sse', async () => {
    const r = await post(`${sim.url}/v1beta/models/gemini-2.0-flash:streamGenerateContent`, { contents: [{ parts: [{ text: 'array' }] }] }, key);
    expect(r.headers.get('content-type')).toContain('application/json');
    const items = JSON.parse(r.text);
    expect(Array.isArray(items)).toBe(true);
    expect(items.length).toBeGreaterThan(1);
    expect(items[items.length - 1].candidates[0].finishReason).toBe('STOP');
    const text = items.map((i: any) => i.candidates[0].content.parts[0].text).join('');
    expect(text).toContain('array');
  });

  it('counts tokens, embeds, and serves the same routes under /v1 with ?key=', async () => {
    const count = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'x'.repeat(40) });
    expect(count.totalTokens).toBe(10);
    const emb = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: 'hello', config: { outputDimensionality: 16 } });
    expect(emb.embeddings?.[0]?.values).toHaveLength(16);
    const single = await post(`${sim.url}/v1beta/models/text-embedding-004:embedContent`, { content: { parts: [{ text: 'hi' }] } }, key);
    expect(single.json.embedding.values).toHaveLength(768);
    const v1 = await post(`${sim.url}/v1/models/gemini-2.0-flash:generateContent?key=AIza-q`, { contents: [{ parts: [{ text: 'v1' }] }] });
    expect(v1.status).toBe(200);
    expect(v1.json.candidates[0].content.parts[0].text).toContain('v1');
  });
});

describe('Gemini models list', () => {
  it('pages with pageSize and pageToken until nextPageToken is gone', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await get(`${sim.url}/v1beta/models?pageSize=4${token ? `&pageToken=${token}` : ''}`, key);
      expect(r.status).toBe(200);
      expect(r.json.models.length).toBeLessThanOrEqual(4);
      for (const m of r.json.models) {
        expect(m.name).toMatch(/^models\//);
        expect(m).toHaveProperty('displayName');
        expect(m).toHaveProperty('inputTokenLimit');
        expect(m).toHaveProperty('outputTokenLimit');
        expect(Array.isArray(m.supportedGenerationMethods)).toBe(true);
        names.push(m.name);
      }
      token = r.json.nextPageToken;
      pages++;
    } while (token);
    expect(pages).toBeGreaterThan(1);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('models/gemini-3-pro-image-preview');
  });

  it('lists through the SDK and gets one model, under /v1beta and /v1', async () => {
    const pager = await ai.models.list({ config: { pageSize: 5 } });
    const seen: string[] = [];
    for await (const m of pager) seen.push(m.name ?? '');
    expect(seen).toContain('models/gemini-2.5-flash');
    const one = await ai.models.get({ model: 'gemini-2.5-flash-image' });
    expect(one.name).toBe('models/gemini-2.5-flash-image');
    const v1 = await get(`${sim.url}/v1/models/gemini-2.5-pro`, key);
    expect(v1.json.name).toBe('models/gemini-2.5-pro');
    const v1list = await get(`${sim.url}/v1/models`, key);
    expect(v1list.json.models.length).toBeGreaterThan(0);
    const missing = await get(`${sim.url}/v1beta/models/gemini-0-nothing`, key);
    expect(missing.status).toBe(404);
    expect(missing.json.error.status).toBe('NOT_FOUND');
  });
});
