// Upstream failures across the matrix: a provider's 429, 500 and 400 reach
// each client in the client's own error shape with a fitting status (and
// retry-after for 429), and a stream cut mid-way ends with the client
// dialect's error event, so the SDK throws instead of ending quietly. Faults
// ride on the upstream model name (`…@fault=429`) through model_mapping.
import Anthropic from '@anthropic-ai/sdk';
import { ApiError } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, CLIENT_APIS, gemini, messages, responses, type ClientApi, type Outcome } from './clients.js';
import { faultModel, PROVIDERS, startHub, TOKEN_KEY, type Hub, type Provider } from './rig.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.close();
});

function ask(client: ClientApi, model: string, stream: boolean): Promise<Outcome> {
  const prompt = 'Tell me about the weather in a few sentences';
  switch (client) {
    case 'chat':
      return chat(hub, { model, messages: [{ role: 'user', content: prompt }] }, stream);
    case 'responses':
      return responses(hub, { model, input: prompt }, stream);
    case 'messages':
      return messages(hub, { model, max_tokens: 400, messages: [{ role: 'user', content: prompt }] }, stream);
    case 'gemini':
      return gemini(hub, { model, contents: prompt }, stream);
  }
}

const ANTHROPIC_TYPE: Record<number, string> = { 400: 'invalid_request_error', 429: 'rate_limit_error', 500: 'api_error' };
const GOOGLE_STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 429: 'RESOURCE_EXHAUSTED', 500: 'INTERNAL' };
const OPENAI_CLASS = { 400: OpenAI.BadRequestError, 429: OpenAI.RateLimitError, 500: OpenAI.InternalServerError } as const;

/** The error as the client's SDK raised it: the right class, status and body shape. */
function expectClientError(client: ClientApi, err: unknown, status: 400 | 429 | 500): void {
  if (client === 'chat' || client === 'responses') {
    expect(err).toBeInstanceOf(OPENAI_CLASS[status]);
    const e = err as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(status);
    expect(e.error).toMatchObject({ message: expect.any(String), type: expect.any(String) });
  } else if (client === 'messages') {
    expect(err).toBeInstanceOf(Anthropic.APIError);
    const e = err as InstanceType<typeof Anthropic.APIError>;
    expect(e.status).toBe(status);
    expect(e.error).toMatchObject({ type: 'error', error: { type: ANTHROPIC_TYPE[status], message: expect.any(String) } });
  } else {
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(status);
    expect(JSON.parse(e.message).error).toMatchObject({ code: status, status: GOOGLE_STATUS[status], message: expect.any(String) });
  }
}

describe.each(CLIENT_APIS)('%s client, upstream refuses', (client) => {
  describe.each(PROVIDERS)('→ %s channel', (provider) => {
    it.each([
      [429, false],
      [500, false],
      [400, false],
      [429, true],
      [500, true],
    ] as const)('%s (stream=%s): the client dialect\'s error, a fitting status, a usage row', async (status, stream) => {
      const model = faultModel(provider, String(status));
      const err = await ask(client, model, stream).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeDefined();
      expectClientError(client, err, status);
      if (status === 429) expect(hub.lastHeaders().get('retry-after')).toBe('1');
      const row = await hub.lastRow();
      expect(row).toMatchObject({ model_requested: model, channel_id: hub.faultChannelId(provider), status });
      expect(row.error).toBeTruthy();
    });
  });
});

describe.each(CLIENT_APIS)('%s client, upstream stream cut mid-way', (client) => {
  it.each(PROVIDERS)('→ %s channel: the SDK throws; the row says the stream broke', async (provider) => {
    const model = faultModel(provider, 'cut-after:5');
    const err = await ask(client, model, true).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    const row = await hub.lastRow();
    expect(row.status).toBe(502);
    expect(row.error).toMatch(/stream/i);
  });
});

/** A streamed call read event by event through the SDK's own iterator, until it ends or throws. */
async function eventsUntilError(client: ClientApi, model: string, includeUsage = false): Promise<{ events: any[]; error: unknown }> {
  const prompt = 'Tell me about the weather in a few sentences';
  const events: any[] = [];
  try {
    const stream: AsyncIterable<unknown> =
      client === 'chat'
        ? await hub.openai.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: prompt }], ...(includeUsage && { stream_options: { include_usage: true } }) })
        : client === 'responses'
          ? await hub.openai.responses.create({ model, input: prompt, stream: true })
          : client === 'messages'
            ? await hub.anthropic.messages.create({ model, max_tokens: 400, stream: true, messages: [{ role: 'user', content: prompt }] })
            : await hub.gemini.models.generateContentStream({ model, contents: prompt });
    for await (const ev of stream) events.push(ev);
  } catch (error) {
    return { events, error };
  }
  return { events, error: undefined };
}

/** The first event each client's SDK yields for an answer that starts well. */
function expectFirstEvent(client: ClientApi, ev: any): void {
  if (client === 'chat') expect(ev).toMatchObject({ object: 'chat.completion.chunk', choices: [{ index: 0 }] });
  else if (client === 'responses') expect(ev).toMatchObject({ type: 'response.created', sequence_number: 0 });
  else if (client === 'messages') expect(ev).toMatchObject({ type: 'message_start', message: { role: 'assistant' } });
  else expect(ev.candidates?.[0]?.content).toBeDefined();
}

// The upstream breaks inside an event (half of its `data:` line came): the
// gateway must not pass that half on, or its error event is glued to it and
// the SDK fails on a JSON parse instead of raising the gateway's error.
describe.each(CLIENT_APIS)('%s client, upstream stream cut inside an event', (client) => {
  it.each(PROVIDERS)("→ %s channel: the SDK raises the gateway's error after the whole events", async (provider) => {
    const { events, error } = await eventsUntilError(client, faultModel(provider, 'cut-mid-event:3'));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect((error as Error).message).toContain('The upstream stream broke');
    // Same dialect: the gateway passed the upstream's three whole events on, and nothing of the fourth
    // (a converted stream may have had nothing to say yet: Anthropic's first events carry no Gemini text).
    const passthrough = (provider === 'openai' && (client === 'chat' || client === 'responses')) || (provider === 'anthropic' && client === 'messages') || (provider === 'gemini' && client === 'gemini');
    if (passthrough) expect(events).toHaveLength(client === 'messages' ? 2 : 3); // the Anthropic SDK does not yield the third, a ping
    if (events.length > 0) expectFirstEvent(client, events[0]);
    if (client === 'responses') expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const row = await hub.lastRow();
    expect(row.status).toBe(502);
    expect(row.error).toMatch(/stream broke/);
  });
});

describe('openai chat passthrough cut inside an event, usage asked by the client', () => {
  it("the SDK raises the gateway's error after the three whole chunks", async () => {
    const { events, error } = await eventsUntilError('chat', faultModel('openai', 'cut-mid-event:3'), true);
    expect((error as Error).message).toContain('The upstream stream broke');
    expect(events).toHaveLength(3);
  });
});

/** The raw stream of a cut request, for its last frames. */
async function rawCutStream(client: ClientApi, model: string): Promise<string> {
  const prompt = 'Tell me about the weather in a few sentences';
  const [path, headers, body] =
    client === 'chat'
      ? ['/v1/chat/completions', { authorization: `Bearer ${TOKEN_KEY}` }, { model, stream: true, messages: [{ role: 'user', content: prompt }] }]
      : client === 'responses'
        ? ['/v1/responses', { authorization: `Bearer ${TOKEN_KEY}` }, { model, stream: true, input: prompt }]
        : client === 'messages'
          ? ['/v1/messages', { 'x-api-key': TOKEN_KEY, 'anthropic-version': '2023-06-01' }, { model, max_tokens: 300, stream: true, messages: [{ role: 'user', content: prompt }] }]
          : [`/v1beta/models/${model}:streamGenerateContent?alt=sse`, { 'x-goog-api-key': TOKEN_KEY }, { contents: [{ role: 'user', parts: [{ text: prompt }] }] }];
  const res = await fetch(`${hub.gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.text();
}

describe.each(CLIENT_APIS)('%s client, the last frames of a cut stream', (client) => {
  it.each(PROVIDERS)('→ %s channel: the dialect\'s own error event', async (provider) => {
    const text = await rawCutStream(client, faultModel(provider, 'cut-after:5'));
    const frames = text.split(/\r?\n\r?\n/).filter((f) => f.trim() !== '');
    const last = frames[frames.length - 1]!;
    if (client === 'chat') {
      expect(JSON.parse(last.replace(/^data: /, ''))).toMatchObject({ error: { message: expect.any(String) } });
      expect(text).not.toContain('[DONE]');
    } else if (client === 'responses') {
      const error = frames.find((f) => f.startsWith('event: error\n'));
      expect(JSON.parse(error!.split('\ndata: ')[1]!)).toMatchObject({ type: 'error', code: expect.any(String), message: expect.any(String) });
      expect(text).not.toContain('response.completed');
      // A converted stream also closes its response (clients such as Codex wait for a terminal event);
      // a passthrough one cannot: it never saw the response object whole.
      if (provider !== 'openai') expect(last).toMatch(/^event: response\.failed/);
      else expect(last).toBe(error);
    } else if (client === 'messages') {
      expect(last).toMatch(/^event: error\ndata: /);
      expect(JSON.parse(last.split('\ndata: ')[1]!)).toMatchObject({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } });
      expect(text).not.toContain('message_stop');
    } else {
      expect(JSON.parse(last.replace(/^data: /, ''))).toMatchObject({ error: { code: expect.any(Number), status: expect.any(String) } });
    }
  });
});

// Converted answers are read whole before a byte is sent, so a cut one is a clean 502; a
// passthrough answer is already on its way with its length and can only be cut too.
const CONVERTED: Array<[ClientApi, Provider]> = CLIENT_APIS.flatMap((c) =>
  PROVIDERS.filter((p) => !(p === 'openai' && (c === 'chat' || c === 'responses')) && !(p === 'anthropic' && c === 'messages') && !(p === 'gemini' && c === 'gemini')).map(
    (p): [ClientApi, Provider] => [c, p],
  ),
);

describe('a whole answer cut in half', () => {
  it.each(CONVERTED)('%s client → %s channel (converted): a 502 in the client dialect', async (client, provider) => {
    const err = await ask(client, faultModel(provider, 'cut-after:4'), false).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as { status?: number }).status).toBe(502);
    const row = await hub.lastRow();
    expect(row.status).toBe(502);
  });
});
