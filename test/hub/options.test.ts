// Generation options across the matrix: structured output (json_schema ↔
// text.format ↔ output_config.format ↔ responseJsonSchema), the token cap and
// its finish reason (length ↔ incomplete ↔ max_tokens ↔ MAX_TOKENS), stop
// sequences, and n.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, CLIENT_APIS, gemini, messages, responses, type ClientApi, type Outcome } from './clients.js';
import { CAPPED, expectUsageRow, upstreamCall } from './checks.js';
import { CHANNELS, PROVIDERS, startHub, type Hub, type Provider } from './rig.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.close();
});

const SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, temp_c: { type: 'integer' }, sunny: { type: 'boolean' } },
  required: ['city', 'temp_c', 'sunny'],
  additionalProperties: false,
};
/** What the simulator fills the schema with. */
const SAMPLE = { city: 'sample', temp_c: 1, sunny: true };

function structured(client: ClientApi, model: string, stream: boolean): Promise<Outcome> {
  const prompt = 'Weather report as JSON';
  switch (client) {
    case 'chat':
      return chat(hub, { model, response_format: { type: 'json_schema', json_schema: { name: 'report', schema: SCHEMA, strict: true } }, messages: [{ role: 'user', content: prompt }] }, stream);
    case 'responses':
      return responses(hub, { model, text: { format: { type: 'json_schema', name: 'report', schema: SCHEMA, strict: true } }, input: prompt }, stream);
    case 'messages':
      return messages(hub, { model, max_tokens: 500, output_config: { format: { type: 'json_schema', schema: SCHEMA } }, messages: [{ role: 'user', content: prompt }] }, stream);
    case 'gemini':
      return gemini(hub, { model, contents: prompt, config: { responseMimeType: 'application/json', responseJsonSchema: SCHEMA } }, stream);
  }
}

/** The schema as the upstream received it, in its own field. */
function upstreamSchema(provider: Provider, body: any): unknown {
  if (provider === 'anthropic') return body.output_config?.format?.schema;
  if (provider === 'gemini') {
    expect(body.generationConfig.responseMimeType).toBe('application/json');
    return body.generationConfig.responseJsonSchema ?? body.generationConfig.responseSchema;
  }
  return body.response_format?.json_schema?.schema ?? body.text?.format?.schema;
}

describe.each(CLIENT_APIS)('%s client asks for structured output', (client) => {
  describe.each(PROVIDERS)('→ %s channel', (provider) => {
    it.each([false, true])('stream=%s: the schema reaches the provider in its own field', async (stream) => {
      const model = CHANNELS[provider].model;
      await hub.sim.clear();
      const out = await structured(client, model, stream);
      const call = await upstreamCall(hub, provider, model, stream);
      expect(upstreamSchema(provider, call.body)).toEqual(SCHEMA);
      // The simulated Claude ignores output_config (plain text back); OpenAI and Gemini answer from the schema.
      if (provider !== 'anthropic') expect(JSON.parse(out.text)).toEqual(SAMPLE);
      else expect(out.text).toContain('Simulated reply');
    });
  });
});

function capped(client: ClientApi, model: string, stream: boolean): Promise<Outcome> {
  const prompt = 'Tell me a long story about harbours';
  switch (client) {
    case 'chat':
      return chat(hub, { model, max_tokens: 5, messages: [{ role: 'user', content: prompt }] }, stream);
    case 'responses':
      // OpenAI's smallest cap is 16; the simulated answers are longer.
      return responses(hub, { model, max_output_tokens: 16, input: prompt }, stream);
    case 'messages':
      return messages(hub, { model, max_tokens: 5, messages: [{ role: 'user', content: prompt }] }, stream);
    case 'gemini':
      return gemini(hub, { model, contents: prompt, config: { maxOutputTokens: 5 } }, stream);
  }
}

function upstreamCap(provider: Provider, body: any): unknown {
  if (provider === 'anthropic') return body.max_tokens;
  if (provider === 'gemini') return body.generationConfig.maxOutputTokens;
  return body.max_completion_tokens ?? body.max_tokens ?? body.max_output_tokens;
}

describe.each(CLIENT_APIS)('%s client caps the answer', (client) => {
  describe.each(PROVIDERS)('→ %s channel', (provider) => {
    it.each([false, true])('stream=%s: the cap is passed on and the finish reason maps', async (stream) => {
      const model = CHANNELS[provider].model;
      await hub.sim.clear();
      const out = await capped(client, model, stream);
      expect(out.finish).toBe(CAPPED[client]);
      const call = await upstreamCall(hub, provider, model, stream);
      expect(upstreamCap(provider, call.body)).toBe(client === 'responses' ? 16 : 5);
      await expectUsageRow(hub, out, { model, provider, stream, client });
    });
  });
});

// The Responses API has no stop sequences; the other three do.
describe.each(['chat', 'messages', 'gemini'] as const)('%s client sends stop sequences', (client) => {
  it.each(PROVIDERS)('→ %s channel: they reach the provider in its own field', async (provider) => {
    const model = CHANNELS[provider].model;
    const stop = ['END', '###'];
    await hub.sim.clear();
    if (client === 'chat') await chat(hub, { model, stop, messages: [{ role: 'user', content: 'count' }] }, false);
    else if (client === 'messages') await messages(hub, { model, max_tokens: 100, stop_sequences: stop, messages: [{ role: 'user', content: 'count' }] }, false);
    else await gemini(hub, { model, contents: 'count', config: { stopSequences: stop } }, false);
    const { body } = await upstreamCall(hub, provider, model, false);
    if (provider === 'openai') expect(body.stop).toEqual(stop);
    else if (provider === 'anthropic') expect(body.stop_sequences).toEqual(stop);
    else expect(body.generationConfig.stopSequences).toEqual(stop);
  });
});

describe('n choices', () => {
  it.each([false, true])('chat n=2 → gemini channel (candidateCount): two choices, stream=%s', async (stream) => {
    await hub.sim.clear();
    const params = { model: CHANNELS.gemini.model, n: 2, messages: [{ role: 'user' as const, content: 'two takes' }] };
    let contents: string[];
    if (stream) {
      const s = await hub.openai.chat.completions.create({ ...params, stream: true });
      const texts = ['', ''];
      for await (const chunk of s) for (const c of chunk.choices) texts[c.index] += c.delta.content ?? '';
      contents = texts;
    } else {
      const res = await hub.openai.chat.completions.create(params);
      contents = res.choices.map((c) => c.message.content ?? '');
    }
    expect(contents).toHaveLength(2);
    for (const text of contents) expect(text).toContain('Simulated reply to "two takes"');
    expect(contents[0]).not.toBe(contents[1]);
    const { body } = await upstreamCall(hub, 'gemini', CHANNELS.gemini.model, stream);
    expect(body.generationConfig.candidateCount).toBe(2);
  });

  it('chat n=2 → anthropic channel: refused in OpenAI words (Claude answers once)', async () => {
    const err = await hub.openai.chat.completions.create({ model: CHANNELS.anthropic.model, n: 2, messages: [{ role: 'user', content: 'two takes' }] }).catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ type: 'invalid_request_error', param: 'n' });
  });
});
