// The encoders' bytes, served over real HTTP, read by the official Anthropic SDK.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicCodec } from '../../../src/dialects/anthropic/codec/index.js';
import type { CanonicalResponse, StreamEvent } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { decodeChunks, fixtureBytes } from './helpers.js';

/** What the server answers next: a whole body, or stream frames (optionally ending in failure). */
let nextAnswer: { json: Record<string, unknown> } | { events: StreamEvent[]; failWith?: GatewayError } = { json: {} };
let lastBody: any;

let server: Server;
let client: Anthropic;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      lastBody = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const answer = nextAnswer;
      if ('json' in answer) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.json));
        return;
      }
      const encoder = anthropicCodec.streamEncoder({ model: 'claude-asked' });
      res.writeHead(200, { 'content-type': encoder.contentType });
      for (const e of answer.events) res.write(encoder.push(e));
      res.end(answer.failWith ? encoder.fail(answer.failWith) : encoder.end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new Anthropic({ apiKey: 'sk-test', baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const params = { model: 'claude-asked', max_tokens: 1024, messages: [{ role: 'user' as const, content: 'hi' }] };
const usage = { inputTokens: 1200, cachedInputTokens: 1000, cacheWriteTokens: 50, outputTokens: 77, reasoningTokens: 0, outputImageTokens: 0 };

describe('anthropic codec against the official SDK', () => {
  it('messages.create reads an encoded whole answer', async () => {
    const canonical: CanonicalResponse = {
      id: 'gen-1',
      model: 'gpt-upstream',
      created: 1,
      choices: [
        {
          index: 0,
          finishReason: 'tool_calls',
          parts: [
            { type: 'thinking', text: 'plan', signature: 'sig-1' },
            { type: 'text', text: 'Calling.' },
            { type: 'tool_call', id: 'call_9', name: 'lookup', arguments: '{"q":"x"}' },
          ],
        },
      ],
      usage,
    };
    nextAnswer = { json: anthropicCodec.encodeResponse(canonical, { model: 'claude-asked' }) };
    const message = await client.messages.create(params);
    expect(lastBody.model).toBe('claude-asked');
    expect(message.id).toBe('msg_gen-1');
    expect(message.model).toBe('claude-asked');
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'plan', signature: 'sig-1' },
      { type: 'text', text: 'Calling.' },
      { type: 'tool_use', id: 'call_9', name: 'lookup', input: { q: 'x' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 150, output_tokens: 77, cache_read_input_tokens: 1000, cache_creation_input_tokens: 50 });
  });

  it('messages.stream().finalMessage() assembles an encoded stream', async () => {
    nextAnswer = {
      events: [
        { type: 'start', id: 'x1', model: 'gemini-upstream', created: 1 },
        { type: 'thinking', text: 'Let me ' },
        { type: 'thinking', text: 'think.' },
        { type: 'thinking_signature', signature: 'sig-2' },
        { type: 'text', text: 'Héllo ' },
        { type: 'text', text: 'wörld 👋' },
        { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
        { type: 'tool_call_start', callIndex: 0, id: 'call_a', name: 'f' },
        { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{"n":' },
        { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '42}' },
        { type: 'tool_call_start', callIndex: 1, id: 'call_b', name: 'g' },
        { type: 'tool_call_delta', callIndex: 1, argumentsDelta: '{}' },
        { type: 'finish', reason: 'tool_calls' },
        { type: 'usage', usage },
      ],
    };
    const stream = client.messages.stream(params);
    const texts: string[] = [];
    stream.on('text', (t) => texts.push(t));
    const message = await stream.finalMessage();
    expect(lastBody.stream).toBe(true);
    expect(texts.join('')).toBe('Héllo wörld 👋');
    expect(message.id).toBe('msg_x1');
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Let me think.', signature: 'sig-2' },
      { type: 'text', text: 'Héllo wörld 👋' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'tool_use', id: 'call_a', name: 'f', input: { n: 42 } },
      { type: 'tool_use', id: 'call_b', name: 'g', input: {} },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 150, output_tokens: 77, cache_read_input_tokens: 1000, cache_creation_input_tokens: 50 });
  });

  it('an upstream Anthropic stream fixture survives decode → encode → SDK', async () => {
    nextAnswer = { events: decodeChunks([fixtureBytes('stream-tools-thinking.txt')]) };
    const message = await client.messages.stream(params).finalMessage();
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Need the weather for Paris.', signature: 'EqQBCgIYAhIMsig' },
      { type: 'text', text: 'Checking…' },
      { type: 'tool_use', id: 'toolu_01A', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'toolu_01B', name: 'get_time', input: {} },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 472, output_tokens: 120, cache_creation_input_tokens: 50, cache_read_input_tokens: 0 });
  });

  it('a stream ended by fail() raises the SDK error with its type and message', async () => {
    nextAnswer = { events: [{ type: 'text', text: 'partial' }], failWith: new GatewayError('unavailable', 'All channels overloaded', { status: 529 }) };
    const stream = client.messages.stream(params);
    const err = await stream.finalMessage().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect((err as InstanceType<typeof Anthropic.APIError>).message).toContain('All channels overloaded');
    expect(JSON.stringify((err as InstanceType<typeof Anthropic.APIError>).error)).toContain('overloaded_error');
  });
});
