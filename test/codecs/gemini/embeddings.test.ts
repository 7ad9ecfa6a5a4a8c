import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  base64ToFloats,
  floatsToBase64,
  geminiEmbeddingsToOpenAIRequest,
  geminiEmbeddingsToOpenAIResponse,
  openAIEmbeddingsToGeminiRequest,
  openAIEmbeddingsToGeminiResponse,
  parseGeminiEmbeddingsRequest,
  parseOpenAIEmbeddingsRequest,
} from '../../../src/dialects/gemini/codec/embeddings.js';
import { gatewayErrorOf } from './helpers.js';

/** A vector per text that survives float32 exactly. */
const vectorFor = (text: string, dims = 4) => Array.from({ length: dims }, (_, i) => (text.length + i) / 8);

describe('OpenAI embeddings → Gemini', () => {
  it('builds a batchEmbedContents request with outputDimensionality', () => {
    const input = parseOpenAIEmbeddingsRequest({ model: 'text-embedding-3-small', input: ['a', 'bb'], dimensions: 256 });
    expect(openAIEmbeddingsToGeminiRequest(input, 'gemini-embedding-001')).toEqual({
      operation: 'batchEmbedContents',
      query: '',
      body: {
        requests: [
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] }, outputDimensionality: 256 },
          { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'bb' }] }, outputDimensionality: 256 },
        ],
      },
    });
  });

  it('answers in OpenAI shape, estimating tokens when Gemini gives none', () => {
    const input = parseOpenAIEmbeddingsRequest({ model: 'emb', input: 'hello world!' });
    expect(geminiEmbeddingsToOpenAIResponse({ embeddings: [{ values: [0.5, -1] }] }, input)).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.5, -1] }],
      model: 'emb',
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });

  it('encodes base64 as float32 little-endian', () => {
    const input = parseOpenAIEmbeddingsRequest({ model: 'emb', input: ['x'], encoding_format: 'base64' });
    const out = geminiEmbeddingsToOpenAIResponse({ embedding: { values: [1, -2.5] } }, input) as any;
    expect(out.data[0].embedding).toBe(Buffer.from([0, 0, 0x80, 0x3f, 0, 0, 0x20, 0xc0]).toString('base64'));
    expect(base64ToFloats(floatsToBase64([0.25, 3]))).toEqual([0.25, 3]);
  });

  it('refuses token arrays and malformed input', () => {
    for (const body of [
      { model: 'm', input: [1, 2, 3] },
      { model: 'm', input: [[1, 2]] },
      { model: 'm', input: [] },
      { model: 'm', input: 5 },
      { model: 'm', input: ['a', 3] },
      { input: 'x' },
      { model: 'm', input: 'x', dimensions: 0 },
      { model: 'm', input: 'x', encoding_format: 'int8' },
    ]) {
      expect(gatewayErrorOf(() => parseOpenAIEmbeddingsRequest(body)).kind).toBe('invalid_request');
    }
    expect(gatewayErrorOf(() => parseOpenAIEmbeddingsRequest({ model: 'm', input: [1] })).message).toContain('Token arrays');
  });

  it('refuses an upstream answer that does not match', () => {
    const input = parseOpenAIEmbeddingsRequest({ model: 'm', input: ['a', 'b'] });
    expect(gatewayErrorOf(() => geminiEmbeddingsToOpenAIResponse({ embeddings: [{ values: [1] }] }, input)).kind).toBe('upstream');
    expect(gatewayErrorOf(() => geminiEmbeddingsToOpenAIResponse({ embeddings: [{ values: 'x' }, {}] }, input)).kind).toBe('upstream');
    expect(gatewayErrorOf(() => geminiEmbeddingsToOpenAIResponse({ error: { code: 404, message: 'no model' } }, input))).toMatchObject({ kind: 'not_found', status: 404 });
  });
});

describe('Gemini embeddings → OpenAI', () => {
  it('embedContent: one text, answered as {embedding}', () => {
    const input = parseGeminiEmbeddingsRequest(
      { content: { parts: [{ text: 'hello' }, { text: 'there' }] }, output_dimensionality: 8, taskType: 'RETRIEVAL_QUERY' },
      { operation: 'embedContent', pathModel: 'models/text-embedding-004' },
    );
    expect(input).toEqual({ model: 'text-embedding-004', inputs: ['hello\nthere'], batch: false, dimensions: 8 });
    expect(geminiEmbeddingsToOpenAIRequest(input, 'text-embedding-3-small')).toEqual({
      model: 'text-embedding-3-small',
      input: 'hello\nthere',
      encoding_format: 'float',
      dimensions: 8,
    });
    expect(openAIEmbeddingsToGeminiResponse({ data: [{ index: 0, embedding: [0.1, 0.2] }] }, input)).toEqual({ embedding: { values: [0.1, 0.2] } });
  });

  it('batchEmbedContents: answers in order of index, base64 decoded', () => {
    const input = parseGeminiEmbeddingsRequest(
      { requests: [{ model: 'models/e', content: { parts: [{ text: 'a' }] } }, { content: { parts: [{ text: 'b' }] } }] },
      { operation: 'batchEmbedContents', pathModel: 'e' },
    );
    expect(geminiEmbeddingsToOpenAIRequest(input, 'up')).toEqual({ model: 'up', input: ['a', 'b'], encoding_format: 'float' });
    const answer = { data: [{ index: 1, embedding: floatsToBase64([2]) }, { index: 0, embedding: [1] }] };
    expect(openAIEmbeddingsToGeminiResponse(answer, input)).toEqual({ embeddings: [{ values: [1] }, { values: [2] }] });
    expect(gatewayErrorOf(() => openAIEmbeddingsToGeminiResponse({ data: [{ index: 3, embedding: [1] }, { index: 0, embedding: [1] }] }, input)).kind).toBe('upstream');
  });

  it('refuses media, empty batches and mismatched dimensions', () => {
    const opts = { operation: 'batchEmbedContents', pathModel: 'e' };
    expect(gatewayErrorOf(() => parseGeminiEmbeddingsRequest({ requests: [] }, opts)).param).toBe('requests');
    expect(gatewayErrorOf(() => parseGeminiEmbeddingsRequest({ requests: [{ content: { parts: [{ inlineData: {} }] } }] }, opts)).param).toBe('requests[0].content.parts[0]');
    expect(
      gatewayErrorOf(() =>
        parseGeminiEmbeddingsRequest(
          { requests: [{ content: { parts: [{ text: 'a' }] }, outputDimensionality: 8 }, { content: { parts: [{ text: 'b' }] } }] },
          opts,
        ),
      ).param,
    ).toBe('requests[1].outputDimensionality');
    expect(gatewayErrorOf(() => parseGeminiEmbeddingsRequest({ content: 'x' }, { operation: 'embedContent', pathModel: 'e' })).kind).toBe('invalid_request');
  });
});

describe('embeddings through the official SDKs', () => {
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        let answer: unknown;
        if (path === '/v1/embeddings') {
          // An OpenAI client reaching a Gemini upstream (played here by vectorFor).
          const input = parseOpenAIEmbeddingsRequest(body);
          const upstream = openAIEmbeddingsToGeminiRequest(input, 'gemini-embedding-001');
          const requests = (upstream.body.requests as { content: { parts: { text: string }[] } }[]).map((r) => ({ values: vectorFor(r.content.parts[0]!.text) }));
          answer = geminiEmbeddingsToOpenAIResponse({ embeddings: requests }, input);
        } else {
          // A Gemini client reaching an OpenAI upstream.
          const [, model, operation] = /^\/v1beta\/models\/([^:]+):(\w+)$/.exec(path)!;
          const input = parseGeminiEmbeddingsRequest(body, { operation: operation!, pathModel: model! });
          const upstream = geminiEmbeddingsToOpenAIRequest(input, 'text-embedding-3-small');
          const texts = Array.isArray(upstream.input) ? (upstream.input as string[]) : [upstream.input as string];
          answer = openAIEmbeddingsToGeminiResponse({ data: texts.map((t, index) => ({ index, embedding: vectorFor(t) })) }, input);
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('openai: embeddings.create (the SDK asks for base64 and decodes it)', async () => {
    const client = new OpenAI({ apiKey: 'k', baseURL: `${baseUrl}/v1`, maxRetries: 0 });
    const res = await client.embeddings.create({ model: 'gemini-embedding-001', input: ['one', 'three'] });
    expect(res.data.map((d) => d.embedding)).toEqual([vectorFor('one'), vectorFor('three')]);
    expect(res.usage.prompt_tokens).toBe(2);
  });

  it('@google/genai: embedContent with several texts', async () => {
    const ai = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl, retryOptions: { attempts: 1 } } });
    const res = await ai.models.embedContent({ model: 'text-embedding-004', contents: ['one', 'three'], config: { outputDimensionality: 4 } });
    expect(res.embeddings?.map((e) => e.values)).toEqual([vectorFor('one'), vectorFor('three')]);
  });
});
