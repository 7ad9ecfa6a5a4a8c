// Plain text across the whole matrix: each official client (chat, responses,
// messages, generateContent) × each provider family (openai, anthropic,
// gemini channels) × whole and streamed. The simulator quotes the last user
// prompt, so the answer proves the prompt survived the conversion; the usage
// row must agree with the client's own usage numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, CLIENT_APIS, gemini, messages, responses, type ClientApi, type Outcome } from './clients.js';
import { DONE, expectUsageRow, upstreamCall } from './checks.js';
import { CHANNELS, PROVIDERS, startHub, type Hub, type Provider } from './rig.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.close();
});

const SYSTEM = 'Answer briefly, in plain words.';

function ask(client: ClientApi, model: string, prompt: string, stream: boolean): Promise<Outcome> {
  switch (client) {
    case 'chat':
      return chat(hub, { model, temperature: 0.5, messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: prompt }] }, stream);
    case 'responses':
      return responses(hub, { model, instructions: SYSTEM, input: prompt, temperature: 0.5 }, stream);
    case 'messages':
      // This SDK version's types dropped `temperature`; the API and older SDKs still send it.
      return messages(hub, { model, max_tokens: 400, system: SYSTEM, temperature: 0.5, messages: [{ role: 'user', content: prompt }] } as Parameters<typeof messages>[1], stream);
    case 'gemini':
      return gemini(hub, { model, contents: prompt, config: { systemInstruction: SYSTEM, temperature: 0.5 } }, stream);
  }
}

describe.each(CLIENT_APIS)('%s client', (client) => {
  describe.each(PROVIDERS)('→ %s channel', (provider: Provider) => {
    it.each([false, true])('stream=%s: text answers with the prompt quoted, usage row agrees', async (stream) => {
      const model = CHANNELS[provider].model;
      const prompt = `Lighthouse ${client} ${provider} ${stream}`;
      await hub.sim.clear();
      const out = await ask(client, model, prompt, stream);

      expect(out.text).toContain(`Simulated reply to "${prompt}"`);
      expect(out.finish).toBe(DONE[client]);
      expect(out.toolCalls).toEqual([]);
      // The answer names the model asked for, with an id in the client dialect's own form.
      if (client === 'chat') expect(out.raw).toMatchObject({ model, object: 'chat.completion', id: expect.stringMatching(/^chatcmpl-/) });
      if (client === 'responses') expect(out.raw).toMatchObject({ model, object: 'response', id: expect.stringMatching(/^resp_/) });
      if (client === 'messages') expect(out.raw).toMatchObject({ model, type: 'message', role: 'assistant', id: expect.stringMatching(/^msg_/) });
      if (client === 'gemini') expect(out.events[0]!.modelVersion).toBe(model);

      // The upstream got the request in its own dialect, system prompt and temperature included.
      const call = await upstreamCall(hub, provider, model, stream);
      const body = JSON.stringify(call.body);
      expect(body).toContain(SYSTEM);
      expect(body).toContain(prompt);
      expect(body).toContain('0.5');

      await expectUsageRow(hub, out, { model, provider, stream, client });
    });
  });
});

/** A three-turn conversation: user, assistant, user. */
function conversation(client: ClientApi, model: string, stream: boolean): Promise<Outcome> {
  const [a, b, c] = ['First question about tides', 'First answer about tides', `Follow-up ${client}`];
  switch (client) {
    case 'chat':
      return chat(hub, { model, messages: [{ role: 'user', content: a }, { role: 'assistant', content: b }, { role: 'user', content: c }] }, stream);
    case 'responses':
      return responses(hub, { model, input: [{ role: 'user', content: a }, { role: 'assistant', content: b }, { role: 'user', content: c }] }, stream);
    case 'messages':
      return messages(hub, { model, max_tokens: 300, messages: [{ role: 'user', content: a }, { role: 'assistant', content: b }, { role: 'user', content: c }] }, stream);
    case 'gemini':
      return gemini(hub, { model, contents: [{ role: 'user', parts: [{ text: a }] }, { role: 'model', parts: [{ text: b }] }, { role: 'user', parts: [{ text: c }] }] }, stream);
  }
}

/** The turns as the upstream received them: [role, text] in its own role names. */
function upstreamTurns(provider: Provider, body: any): Array<[string, string]> {
  const text = (content: any): string => (typeof content === 'string' ? content : content.map((p: any) => p.text ?? '').join(''));
  if (provider === 'gemini') return body.contents.map((c: any) => [c.role, text(c.parts)]);
  if (Array.isArray(body.messages)) return body.messages.map((m: any) => [m.role, text(m.content)]);
  return body.input.map((i: any) => [i.role, text(i.content)]);
}

describe.each(CLIENT_APIS)('%s client, multi-turn history', (client) => {
  it.each(PROVIDERS)('→ %s channel: every turn arrives in order with its role', async (provider) => {
    const model = CHANNELS[provider].model;
    await hub.sim.clear();
    const out = await conversation(client, model, false);
    expect(out.text).toContain(`Simulated reply to "Follow-up ${client}"`);
    const { body } = await upstreamCall(hub, provider, model, false);
    const assistant = provider === 'gemini' ? 'model' : 'assistant';
    expect(upstreamTurns(provider, body)).toEqual([
      ['user', 'First question about tides'],
      [assistant, 'First answer about tides'],
      ['user', `Follow-up ${client}`],
    ]);
  });
});

describe('stream framing the SDKs rely on', () => {
  it.each(PROVIDERS)('chat ← %s: the first chunk carries the role, usage rides on its own last chunk', async (provider) => {
    const out = await chat(hub, { model: CHANNELS[provider].model, messages: [{ role: 'user', content: 'framing check' }] }, true);
    const withChoices = out.events.filter((e) => e.choices.length > 0);
    expect(withChoices[0].choices[0].delta.role).toBe('assistant');
    const last = out.events[out.events.length - 1];
    expect(last.choices).toEqual([]);
    expect(last.usage.completion_tokens).toBe(out.usage.output);
  });

  it.each(PROVIDERS)('messages ← %s: the full Anthropic event sequence', async (provider) => {
    const out = await messages(hub, { model: CHANNELS[provider].model, max_tokens: 300, messages: [{ role: 'user', content: 'sequence check' }] }, true);
    const types = out.events.map((e) => e.type);
    expect(types[0]).toBe('message_start');
    expect(types).toContain('content_block_start');
    expect(types).toContain('content_block_delta');
    expect(types).toContain('content_block_stop');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
  });

  it.each(PROVIDERS)('responses ← %s: created first, completed last, gapless sequence numbers', async (provider) => {
    const out = await responses(hub, { model: CHANNELS[provider].model, input: 'sequence check' }, true);
    expect(out.events[0].type).toBe('response.created');
    expect(out.events[out.events.length - 1].type).toBe('response.completed');
    out.events.forEach((ev, i) => expect(ev.sequence_number).toBe(i));
  });

  it.each(PROVIDERS)('gemini ← %s: the SSE stream ends with finishReason and usage on the last chunk', async (provider) => {
    const out = await gemini(hub, { model: CHANNELS[provider].model, contents: 'ending check' }, true);
    const last = out.events[out.events.length - 1]!;
    expect(last.candidates?.[0]?.finishReason).toBe('STOP');
    expect(last.usageMetadata?.candidatesTokenCount).toBeGreaterThan(0);
  });

  it.each(PROVIDERS)('gemini ← %s: a stream without alt=sse is one JSON array', async (provider) => {
    const model = CHANNELS[provider].model;
    const res = await fetch(`${hub.gw.url}/v1beta/models/${model}:streamGenerateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': (await import('./rig.js')).TOKEN_KEY },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'array check' }] }] }),
    });
    expect(res.status).toBe(200);
    const chunks = JSON.parse(await res.text()) as any[];
    expect(Array.isArray(chunks)).toBe(true);
    const text = chunks.flatMap((c) => c.candidates?.[0]?.content?.parts ?? []).map((p: any) => p.text ?? '').join('');
    expect(text).toContain('Simulated reply to "array check"');
    expect(chunks[chunks.length - 1].candidates[0].finishReason).toBe('STOP');
  });
});
