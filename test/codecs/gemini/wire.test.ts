// The official @google/genai client reads what the codec writes: a small HTTP
// server answers with encodeResponse / streamEncoder output, and the requests
// the SDK sends go through decodeRequest.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalRequest, CanonicalResponse, CanonicalUsage, StreamEvent } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { geminiCodec } from '../../../src/dialects/gemini/codec/index.js';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const USAGE: CanonicalUsage = { inputTokens: 50, cachedInputTokens: 10, cacheWriteTokens: 0, outputTokens: 1400, reasoningTokens: 200, outputImageTokens: 1120 };

const ANSWER: CanonicalResponse = {
  id: 'resp-wire-1',
  model: 'upstream-model',
  created: 0,
  choices: [
    {
      index: 0,
      finishReason: 'tool_calls',
      parts: [
        { type: 'thinking', text: 'Thinking it over.', signature: 'sig-think' },
        { type: 'text', text: 'Hello from Waystation.' },
        { type: 'image', mimeType: 'image/png', data: PNG, signature: 'sig-image' },
        { type: 'tool_call', id: 'call-1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      ],
    },
  ],
  usage: USAGE,
};

const EVENTS: StreamEvent[] = [
  { type: 'start', id: 'resp-wire-2', model: 'upstream-model', created: 0 },
  { type: 'thinking', text: 'Thinking it over.' },
  { type: 'thinking_signature', signature: 'sig-think' },
  { type: 'text', text: 'Hello ' },
  { type: 'text', text: 'from Waystation.' },
  { type: 'image', mimeType: 'image/png', data: PNG, signature: 'sig-image' },
  { type: 'tool_call_start', callIndex: 0, id: 'call-1', name: 'get_weather' },
  { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{"city":' },
  { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '"Paris"}' },
  { type: 'finish', reason: 'tool_calls' },
  { type: 'usage', usage: USAGE },
];

let server: Server;
let baseUrl: string;
const seen: CanonicalRequest[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const match = /^\/v1beta\/models\/([^:]+):(\w+)$/.exec(url.pathname);
      if (!match) {
        res.writeHead(404).end();
        return;
      }
      const [, model, operation] = match as unknown as [string, string, string];
      seen.push(geminiCodec.decodeRequest(JSON.parse(Buffer.concat(chunks).toString('utf8')), { operation, pathModel: model }));
      if (operation === 'generateContent') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(geminiCodec.encodeResponse(ANSWER, { model })));
        return;
      }
      const encoder = geminiCodec.streamEncoder({ model, sse: url.searchParams.get('alt') === 'sse' });
      res.writeHead(200, { 'content-type': encoder.contentType });
      if (model === 'breaks-midway') {
        res.write(encoder.push(EVENTS[0]!) + encoder.push(EVENTS[3]!));
        res.end(encoder.fail(new GatewayError('unavailable', 'the upstream went away')));
        return;
      }
      // One write per event, as the relay streams them.
      for (const event of EVENTS) {
        const bytes = encoder.push(event);
        if (bytes) res.write(bytes);
      }
      res.end(encoder.end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const client = () => new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl, retryOptions: { attempts: 1 } } });

describe('@google/genai against the codec', () => {
  it('generateContent: text, thoughts, image, function call and usage come through', async () => {
    const res = await client().models.generateContent({
      model: 'gemini-2.5-flash',
      contents: [{ role: 'user', parts: [{ text: 'Weather in Paris?' }, { inlineData: { mimeType: 'image/png', data: PNG } }] }],
      config: {
        systemInstruction: 'Be brief.',
        tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } } }] }],
        thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
        responseModalities: ['TEXT', 'IMAGE'],
        imageConfig: { aspectRatio: '16:9' },
        maxOutputTokens: 500,
      },
    });
    const parts = res.candidates?.[0]?.content?.parts ?? [];
    expect(parts.find((p) => p.thought)?.text).toBe('Thinking it over.');
    expect(parts.find((p) => p.text && !p.thought)?.text).toBe('Hello from Waystation.');
    expect(parts.find((p) => p.inlineData)).toMatchObject({ inlineData: { mimeType: 'image/png', data: PNG }, thoughtSignature: 'sig-image' });
    expect(res.functionCalls).toEqual([{ id: 'call-1', name: 'get_weather', args: { city: 'Paris' } }]);
    expect(res.candidates?.[0]?.finishReason).toBe('STOP');
    expect(res.responseId).toBe('resp-wire-1');
    expect(res.modelVersion).toBe('gemini-2.5-flash');
    expect(res.usageMetadata).toMatchObject({
      promptTokenCount: 50,
      cachedContentTokenCount: 10,
      candidatesTokenCount: 1200,
      thoughtsTokenCount: 200,
      totalTokenCount: 1450,
      candidatesTokensDetails: [
        { modality: 'TEXT', tokenCount: 80 },
        { modality: 'IMAGE', tokenCount: 1120 },
      ],
    });

    // What the SDK sent decodes into the request it meant.
    const sent = seen.at(-1)!;
    expect(sent).toMatchObject({
      model: 'gemini-2.5-flash',
      stream: false,
      system: [{ type: 'text', text: 'Be brief.' }],
      tools: [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }],
      reasoning: { budgetTokens: 1024, includeThoughts: true },
      modalities: ['text', 'image'],
      image: { aspectRatio: '16:9' },
      maxOutputTokens: 500,
    });
    expect(sent.messages[0]!.parts).toEqual([
      { type: 'text', text: 'Weather in Paris?' },
      { type: 'image', mimeType: 'image/png', data: PNG },
    ]);
  });

  it('generateContentStream over SSE: chunks, the function call, the image and the final usage', async () => {
    const stream = await client().models.generateContentStream({ model: 'gemini-3-flash-preview', contents: 'Weather in Paris?' });
    let text = '';
    let thoughts = '';
    const images: string[] = [];
    const calls: unknown[] = [];
    let finishReason: string | undefined;
    let usage: unknown;
    for await (const chunk of stream) {
      for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
        if (part.thought && part.text) thoughts += part.text;
        else if (part.text) text += part.text;
        if (part.inlineData?.data) images.push(part.inlineData.data);
      }
      calls.push(...(chunk.functionCalls ?? []));
      finishReason = chunk.candidates?.[0]?.finishReason ?? finishReason;
      usage = chunk.usageMetadata ?? usage;
    }
    expect(text).toBe('Hello from Waystation.');
    expect(thoughts).toBe('Thinking it over.');
    expect(images).toEqual([PNG]);
    expect(calls).toEqual([{ id: 'call-1', name: 'get_weather', args: { city: 'Paris' } }]);
    expect(finishReason).toBe('STOP');
    expect(usage).toMatchObject({ promptTokenCount: 50, candidatesTokenCount: 1200, thoughtsTokenCount: 200, totalTokenCount: 1450 });
    expect(seen.at(-1)).toMatchObject({ model: 'gemini-3-flash-preview', stream: true });
  });

  it('an error chunk mid-stream makes the SDK throw, after the text before it', async () => {
    const stream = await client().models.generateContentStream({ model: 'breaks-midway', contents: 'hi' });
    let text = '';
    const failure = await (async () => {
      try {
        for await (const chunk of stream) text += chunk.text ?? '';
      } catch (err) {
        return err as Error;
      }
      return undefined;
    })();
    expect(text).toBe('Hello ');
    expect(failure).toBeInstanceOf(Error);
    expect(failure?.message).toContain('the upstream went away');
    expect((failure as { status?: number }).status).toBe(503);
  });
});
