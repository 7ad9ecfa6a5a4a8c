// Same-dialect passthrough through the gateway, driven by the official SDKs.
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_KEY, simulatorConfig, startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

let sim: TestSimulator;
let gw: TestGateway;
let openai: OpenAI;

beforeAll(async () => {
  sim = await startTestSimulator();
  gw = await startTestGateway(simulatorConfig(sim.url));
  openai = new OpenAI({ apiKey: TOKEN_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await gw?.close();
  await sim?.close();
});

async function lastUsageRow() {
  await gw.gw.usage.flush();
  const { items } = await gw.gw.repos.usageLogs.query({ limit: 1 });
  return items[0]!;
}

describe('OpenAI passthrough', () => {
  it('chat completion: body untouched upstream, usage recorded', async () => {
    await sim.clear();
    const res = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello there' }], temperature: 0.3 });
    expect(res.choices[0]!.message.role).toBe('assistant');
    const [seen] = await sim.requests();
    expect(seen!.path).toBe('/v1/chat/completions');
    expect(seen!.body).toMatchObject({ model: 'gpt-4o-mini', temperature: 0.3 });
    const row = await lastUsageRow();
    expect(row).toMatchObject({ route: 'openai.chat', model_requested: 'gpt-4o-mini', status: 200, is_stream: 0 });
    expect(row.input_tokens).toBe(res.usage!.prompt_tokens - (res.usage!.prompt_tokens_details?.cached_tokens ?? 0));
    expect(row.output_text_tokens + row.reasoning_tokens).toBe(res.usage!.completion_tokens);
  });

  it('streaming chat with include_usage: role first, [DONE] last, usage read on the way', async () => {
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'count to five' }],
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let first = true;
    for await (const chunk of stream) {
      if (first && chunk.choices[0]) expect(chunk.choices[0].delta.role).toBe('assistant');
      first = false;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    const row = await lastUsageRow();
    expect(row.is_stream).toBe(1);
    expect(row.output_text_tokens + row.reasoning_tokens).toBe(usage!.completion_tokens);
    expect(row.first_byte_ms).not.toBeNull();
  });

  it('embeddings pass through', async () => {
    const res = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'abc' });
    expect(res.data[0]!.embedding.length).toBeGreaterThan(0);
  });
});

describe('Anthropic passthrough', () => {
  it('streams with event lines; the SDK assembles the message; usage merged from start and delta', async () => {
    const client = new Anthropic({ apiKey: TOKEN_KEY, baseURL: gw.url, maxRetries: 0 });
    const stream = client.messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 200, messages: [{ role: 'user', content: 'hi' }] });
    const message = await stream.finalMessage();
    expect(message.content[0]?.type).toBe('text');
    const row = await lastUsageRow();
    expect(row.route).toBe('anthropic.messages');
    expect(row.input_tokens).toBe(message.usage.input_tokens);
    expect(row.output_text_tokens).toBe(message.usage.output_tokens);
  });
});

describe('Gemini passthrough', () => {
  it('generateContent and SSE streaming through @google/genai, with usage', async () => {
    const ai = new GoogleGenAI({ apiKey: TOKEN_KEY, httpOptions: { baseUrl: gw.url } });
    const res = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'why is the sky blue?' });
    expect(res.text).toBeTruthy();
    let row = await lastUsageRow();
    expect(row.input_tokens).toBe(res.usageMetadata!.promptTokenCount);

    let streamed = '';
    for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'tell me more' })) {
      streamed += chunk.text ?? '';
    }
    expect(streamed.length).toBeGreaterThan(0);
    row = await lastUsageRow();
    expect(row).toMatchObject({ route: 'gemini.streamGenerateContent', is_stream: 1, status: 200 });
    expect(row.output_text_tokens).toBeGreaterThan(0);
  });

  it('streamGenerateContent without alt=sse answers a JSON array', async () => {
    const res = await fetch(`${gw.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': TOKEN_KEY },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    });
    const body = (await res.json()) as any[];
    expect(Array.isArray(body)).toBe(true);
    expect(body.at(-1).usageMetadata).toBeDefined();
  });

  it('countTokens passes through', async () => {
    const ai = new GoogleGenAI({ apiKey: TOKEN_KEY, httpOptions: { baseUrl: gw.url } });
    const res = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents: 'one two three four' });
    expect(res.totalTokens).toBeGreaterThan(0);
  });

  it('the models list is in Gemini shape and pages', async () => {
    const first = (await (await fetch(`${gw.url}/v1beta/models?pageSize=2`, { headers: { 'x-goog-api-key': TOKEN_KEY } })).json()) as any;
    expect(first.models).toHaveLength(2);
    expect(first.models[0].name).toMatch(/^models\//);
    const second = (await (
      await fetch(`${gw.url}/v1beta/models?pageSize=2&pageToken=${first.nextPageToken}`, { headers: { 'x-goog-api-key': TOKEN_KEY } })
    ).json()) as any;
    expect(second.models[0].name).not.toBe(first.models[0].name);
  });
});

describe('upstream faults', () => {
  it('a cut mid-stream ends the OpenAI stream with an error the SDK raises, and the row says so', async () => {
    const stream = await openai.chat.completions.create(
      { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'a long story please' }] },
      { headers: { 'x-sim-fault': 'cut-after:2' } },
    );
    const consume = async () => {
      for await (const _ of stream) {
        /* drain */
      }
    };
    await expect(consume()).rejects.toThrow();
    const row = await lastUsageRow();
    expect(row.status).toBe(502);
    expect(row.error).toMatch(/stream broke/);
  });

  it('an upstream 429 with one channel reaches the client as 429 in its dialect', async () => {
    const res = await fetch(`${gw.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': TOKEN_KEY, 'x-sim-fault': '429' },
      body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }),
    });
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ error: { status: 'RESOURCE_EXHAUSTED' } });
  });
});
