// The encoder's bytes served over real HTTP and read by the official openai SDK.
// The server also decodes what the SDK sends, so the request side is checked
// against the SDK's own serialisation.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalRequest, CanonicalResponse, StreamEvent } from '../../../src/dialects/canonical/types.js';
import { emptyCanonicalUsage } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { openaiResponsesCodec as codec } from '../../../src/dialects/openai/responses-codec/index.js';

const usage = { ...emptyCanonicalUsage(), inputTokens: 120, cachedInputTokens: 100, outputTokens: 60, reasoningTokens: 40 };

/** One answer per scenario, as canonical events; the whole form is built from the same events. */
const scenarios: Record<string, StreamEvent[]> = {
  tools: [
    { type: 'start', id: 'up_tools', model: 'upstream', created: 1767225600 },
    { type: 'thinking', text: 'The user wants ' },
    { type: 'thinking', text: 'the weather.' },
    { type: 'thinking_signature', signature: 'gAAAAABsignature' },
    { type: 'text', text: 'Let me ' },
    { type: 'text', text: 'check. ✓' },
    { type: 'tool_call_start', callIndex: 0, id: 'call_paris', name: 'get_weather' },
    { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '{"city":' },
    { type: 'tool_call_delta', callIndex: 0, argumentsDelta: '"Paris"}' },
    { type: 'tool_call_start', callIndex: 1, id: 'call_rome', name: 'get_weather' },
    { type: 'tool_call_delta', callIndex: 1, argumentsDelta: '{"city":"Rome"}' },
    { type: 'usage', usage },
    { type: 'finish', reason: 'tool_calls' },
  ],
  truncated: [
    { type: 'start', id: 'up_trunc', model: 'upstream', created: 1767225600 },
    { type: 'text', text: 'Once upon a' },
    { type: 'image', mimeType: 'image/png', data: 'iVBORw0KGgo=' },
    { type: 'usage', usage: { ...emptyCanonicalUsage(), inputTokens: 5, outputTokens: 16 } },
    { type: 'finish', reason: 'length' },
  ],
  broken: [
    { type: 'start', id: 'up_err', model: 'upstream', created: 1767225600 },
    { type: 'text', text: 'Partial' },
  ],
};

function wholeAnswer(events: StreamEvent[]): CanonicalResponse {
  const res: CanonicalResponse = { id: '', model: '', created: 0, choices: [{ index: 0, parts: [], finishReason: 'stop' }] };
  const parts = res.choices[0]!.parts;
  for (const ev of events) {
    const last = parts[parts.length - 1];
    if (ev.type === 'start') Object.assign(res, { id: ev.id, model: ev.model, created: ev.created });
    else if (ev.type === 'text') last?.type === 'text' ? (last.text += ev.text) : parts.push({ type: 'text', text: ev.text });
    else if (ev.type === 'thinking') last?.type === 'thinking' ? (last.text += ev.text) : parts.push({ type: 'thinking', text: ev.text });
    else if (ev.type === 'thinking_signature' && last?.type === 'thinking') last.signature = ev.signature;
    else if (ev.type === 'tool_call_start') parts.push({ type: 'tool_call', id: ev.id, name: ev.name, arguments: '' });
    else if (ev.type === 'tool_call_delta' && last?.type === 'tool_call') last.arguments += ev.argumentsDelta;
    else if (ev.type === 'image') parts.push({ type: 'image', mimeType: ev.mimeType, data: ev.data! });
    else if (ev.type === 'usage') res.usage = ev.usage;
    else if (ev.type === 'finish') res.choices[0]!.finishReason = ev.reason;
  }
  return res;
}

let server: Server;
let client: OpenAI;
const received: CanonicalRequest[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const canonical = codec.decodeRequest(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>, { operation: '/responses' });
      received.push(canonical);
      const events = scenarios[canonical.model]!;
      if (!canonical.stream) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(codec.encodeResponse(wholeAnswer(events), { model: canonical.model })));
        return;
      }
      const encoder = codec.streamEncoder({ model: canonical.model });
      res.writeHead(200, { 'content-type': encoder.contentType });
      // One write per event, so the SDK's parser meets frames split across reads.
      for (const ev of events) res.write(encoder.push(ev));
      res.end(canonical.model === 'broken' ? encoder.fail(new GatewayError('rate_limit', 'Slow down, please.')) : encoder.end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ apiKey: 'sk-test', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** `output_text` is the SDK's own convenience: present on what it returns, not on raw stream events. */
function expectToolsAnswer(response: OpenAI.Responses.Response, sdkBuilt = true): void {
  expect(response.status).toBe('completed');
  expect(response.model).toBe('tools');
  if (sdkBuilt) expect(response.output_text).toBe('Let me check. ✓');
  const texts = response.output.flatMap((o) => (o.type === 'message' ? o.content.flatMap((c) => (c.type === 'output_text' ? [c.text] : [])) : []));
  expect(texts).toEqual(['Let me check. ✓']);
  const reasoning = response.output.find((o) => o.type === 'reasoning');
  expect(reasoning).toMatchObject({ summary: [{ type: 'summary_text', text: 'The user wants the weather.' }], encrypted_content: 'gAAAAABsignature' });
  const calls = response.output.filter((o) => o.type === 'function_call');
  expect(calls.map((c) => [c.call_id, c.name, JSON.parse(c.arguments)])).toEqual([
    ['call_paris', 'get_weather', { city: 'Paris' }],
    ['call_rome', 'get_weather', { city: 'Rome' }],
  ]);
  expect(response.output.map((o) => o.type)).toEqual(['reasoning', 'message', 'function_call', 'function_call']);
  expect(response.usage).toMatchObject({
    input_tokens: 120,
    input_tokens_details: { cached_tokens: 100 },
    output_tokens: 60,
    output_tokens_details: { reasoning_tokens: 40 },
    total_tokens: 180,
  });
}

const tools: OpenAI.Responses.Tool[] = [
  { type: 'function', name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } }, strict: false },
];

describe('the openai SDK against the encoder', () => {
  it('reads a whole response', async () => {
    const response = await client.responses.create({ model: 'tools', instructions: 'Be brief.', input: 'Weather in Paris and Rome?', tools, reasoning: { effort: 'low', summary: 'auto' } });
    expectToolsAnswer(response);
    expect(response.id).toBe('resp_up_tools');
    // What the SDK sent decodes as meant.
    const sent = received.at(-1)!;
    expect(sent.system).toEqual([{ type: 'text', text: 'Be brief.' }]);
    expect(sent.tools?.[0]?.name).toBe('get_weather');
    expect(sent.reasoning).toEqual({ effort: 'low', includeThoughts: true });
  });

  it('streams events with create({stream: true})', async () => {
    const stream = await client.responses.create({ model: 'tools', input: 'Weather?', tools, stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const ev of stream) events.push(ev);
    expect(events[0]!.type).toBe('response.created');
    expect(events[1]!.type).toBe('response.in_progress');
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const text = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : [])).join('');
    expect(text).toBe('Let me check. ✓');
    const summary = events.flatMap((e) => (e.type === 'response.reasoning_summary_text.delta' ? [e.delta] : [])).join('');
    expect(summary).toBe('The user wants the weather.');
    const last = events.at(-1)!;
    expect(last.type).toBe('response.completed');
    if (last.type === 'response.completed') expectToolsAnswer(last.response, false);
  });

  it('accumulates with responses.stream(...).finalResponse()', async () => {
    const runner = client.responses.stream({ model: 'tools', input: 'Weather?', tools });
    const snapshots: string[] = [];
    runner.on('response.output_text.delta', (ev) => snapshots.push(ev.snapshot));
    const response = await runner.finalResponse();
    expectToolsAnswer(response);
    expect(snapshots).toEqual(['Let me ', 'Let me check. ✓']);
  });

  it('reports a truncated answer as incomplete, with its image', async () => {
    const response = await client.responses.stream({ model: 'truncated', input: 'Tell a story' }).finalResponse();
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.output_text).toBe('Once upon a');
    expect(response.output[1]).toMatchObject({ type: 'image_generation_call', status: 'completed', result: 'iVBORw0KGgo=' });
    const whole = await client.responses.create({ model: 'truncated', input: 'Tell a story' });
    expect(whole.status).toBe('incomplete');
    expect(whole.usage?.output_tokens).toBe(16);
  });

  it('throws on the error event, whichever way the stream is read', async () => {
    const stream = await client.responses.create({ model: 'broken', input: 'x', stream: true });
    const seen: string[] = [];
    const iterate = async () => {
      for await (const ev of stream) seen.push(ev.type);
    };
    const err = await iterate().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toContain('Slow down, please.');
    expect(seen).toContain('response.output_text.delta');
    expect(seen).not.toContain('response.failed');

    await expect(client.responses.stream({ model: 'broken', input: 'x' }).finalResponse()).rejects.toThrow('Slow down, please.');
  });
});
