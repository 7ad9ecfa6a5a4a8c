// The encoders' output read by the official openai SDK over a real socket: proves
// the wire shape (chunks, images, the usage chunk, errors) the way clients see it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalResponse, StreamEvent } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { openaiChatCodec } from '../../../src/dialects/openai/chat-codec/index.js';
import { fixtureBytes, PNG_BASE64 } from './fixtures.js';

const usage = { inputTokens: 30, cachedInputTokens: 8, cacheWriteTokens: 0, outputTokens: 1300, reasoningTokens: 5, outputImageTokens: 1290 };

const streamEvents: StreamEvent[] = [
  { type: 'start', id: 'up-9', model: 'upstream', created: 1700000000 },
  { type: 'thinking', text: 'Drawing…' },
  { type: 'text', text: 'Here is ' },
  { type: 'text', text: 'the cat. 🐱' },
  { type: 'image', mimeType: 'image/png', data: PNG_BASE64 },
  { type: 'tool_call_start', callIndex: 0, id: 'call_1', name: 'save' },
  { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{"name":' },
  { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '"cat.png"}' },
  { type: 'usage', usage },
  { type: 'finish', reason: 'tool_calls' },
];

const wholeAnswer: CanonicalResponse = {
  id: 'up-10',
  model: 'upstream',
  created: 1700000001,
  choices: [
    {
      index: 0,
      parts: [
        { type: 'thinking', text: 'Thinking.' },
        { type: 'text', text: 'Done.' },
        { type: 'image', mimeType: 'image/png', data: PNG_BASE64 },
      ],
      finishReason: 'stop',
    },
  ],
  usage,
};

/** Each request's model names the scenario the tiny server plays. */
function respond(model: string, includeUsage: boolean): { type: string; body: string } {
  if (model === 'whole') {
    return { type: 'application/json', body: JSON.stringify(openaiChatCodec.encodeResponse(wholeAnswer, { model: 'client-model' })) };
  }
  const encoder = openaiChatCodec.streamEncoder({ model: 'client-model', includeUsage, imageOutput: 'both' });
  let body = '';
  if (model === 'relay-upstream') {
    // Upstream bytes → decoder → encoder: the whole hub path for one dialect.
    const decoder = openaiChatCodec.streamDecoder();
    for (const e of [...decoder.push(fixtureBytes('stream-tool-calls.txt')), ...decoder.end()]) body += encoder.push(e);
    return { type: encoder.contentType, body: body + encoder.end() };
  }
  for (const e of streamEvents) body += encoder.push(e);
  // The upstream broke after its last chunk: the error frame replaces [DONE].
  if (model === 'broken') return { type: encoder.contentType, body: body + encoder.fail(new GatewayError('upstream', 'upstream connection reset')) };
  return { type: encoder.contentType, body: body + encoder.end() };
}

let server: Server;
let client: OpenAI;

beforeAll(async () => {
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const json = JSON.parse(Buffer.concat(parts).toString('utf8')) as { model: string; stream_options?: { include_usage?: boolean } };
      const { type, body } = respond(json.model, json.stream_options?.include_usage === true);
      res.writeHead(200, { 'content-type': type });
      // Several writes, cut at odd places, like a real relay.
      const bytes = Buffer.from(body);
      for (let at = 0; at < bytes.length; at += 97) res.write(bytes.subarray(at, at + 97));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('openai SDK reads the chat codec output', () => {
  it('stream: text, reasoning, images, tool calls, finish and the usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'full',
      messages: [{ role: 'user', content: 'draw' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const got: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) got.push(chunk);

    expect(new Set(got.map((c) => c.id))).toEqual(new Set(['chatcmpl-up-9']));
    expect(got.every((c) => c.object === 'chat.completion.chunk' && c.model === 'client-model')).toBe(true);
    expect(got[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' });
    const deltas = got.flatMap((c) => c.choices.map((ch) => ch.delta as Record<string, any>));
    const content = deltas.map((d) => d.content ?? '').join('');
    expect(content).toBe(`Here is the cat. 🐱\n\n![image](data:image/png;base64,${PNG_BASE64})`);
    expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toBe('Drawing…');
    expect(deltas.flatMap((d) => d.images ?? [])).toEqual([{ index: 0, type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } }]);
    const args = deltas.flatMap((d) => d.tool_calls ?? []).map((t: any) => t.function?.arguments ?? '').join('');
    expect(args).toBe('{"name":"cat.png"}');
    expect(got.flatMap((c) => c.choices.map((ch) => ch.finish_reason)).filter(Boolean)).toEqual(['tool_calls']);
    const last = got.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({
      prompt_tokens: 30,
      completion_tokens: 1300,
      total_tokens: 1330,
      prompt_tokens_details: { cached_tokens: 8 },
      completion_tokens_details: { reasoning_tokens: 5 },
    });
  });

  it("the SDK's stream helper assembles the same stream into a valid completion", async () => {
    const runner = client.chat.completions.stream({ model: 'full', messages: [{ role: 'user', content: 'draw' }], stream_options: { include_usage: true } });
    const final = await runner.finalChatCompletion();
    const choice = final.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'save', arguments: '{"name":"cat.png"}' } }]);
    expect(choice?.message.content).toContain('Here is the cat. 🐱');
    expect(final.usage?.total_tokens).toBe(1330);
  });

  it('without include_usage there is no usage chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'full', messages: [{ role: 'user', content: 'x' }], stream: true });
    const got: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) got.push(chunk);
    expect(got.some((c) => c.usage)).toBe(false);
    expect(got.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('upstream SSE → decoder → encoder → SDK: parallel tool calls arrive intact', async () => {
    const runner = client.chat.completions.stream({ model: 'relay-upstream', messages: [{ role: 'user', content: 'x' }], stream_options: { include_usage: true } });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"tz":"UTC"}' } },
    ]);
    expect(final.usage).toMatchObject({ prompt_tokens: 50, completion_tokens: 25 });
  });

  it('a failed stream makes the SDK throw an APIError with the message', async () => {
    const stream = await client.chat.completions.create({ model: 'broken', messages: [{ role: 'user', content: 'x' }], stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow(/upstream connection reset/);
    expect(seen.join('')).toContain('Here is the cat.');
  });

  it('whole answer: the SDK parses the chat.completion with images and usage', async () => {
    const res = await client.chat.completions.create({ model: 'whole', messages: [{ role: 'user', content: 'x' }] });
    expect(res.id).toBe('chatcmpl-up-10');
    expect(res.object).toBe('chat.completion');
    const message = res.choices[0]?.message as OpenAI.Chat.Completions.ChatCompletionMessage & { images?: unknown; reasoning_content?: string };
    expect(message.content).toBe(`Done.\n\n![image](data:image/png;base64,${PNG_BASE64})`);
    expect(message.images).toEqual([{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } }]);
    expect(message.reasoning_content).toBe('Thinking.');
    expect(res.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 1300, completion_tokens_details: { reasoning_tokens: 5, image_tokens: 1290 } });
  });
});
