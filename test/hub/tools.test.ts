// Tools across the matrix: a call comes back with parsed arguments (streamed
// deltas assembled by the SDKs' own stream helpers), the tool result goes
// back in a second turn and gets a text answer, and the upstream sees the
// result paired with its call in its own dialect. The simulator's providers
// make one call per turn, so parallel calls are exercised on the way in: a
// history with two calls and two results must reach every provider intact.
import type Anthropic from '@anthropic-ai/sdk';
import type { Content } from '@google/genai';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, CLIENT_APIS, gemini, messages, responses, type ClientApi, type Outcome } from './clients.js';
import { CALLED, DONE, expectUsageRow } from './checks.js';
import { CHANNELS, PROVIDERS, startHub, WEATHER, WEATHER_SCHEMA, type Hub, type Provider } from './rig.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.close();
});

const RESULT = { temp_c: 21, sky: 'clear' };
const RESULT_TEXT = JSON.stringify(RESULT);
/** sampleFromSchema(WEATHER_SCHEMA): strings are "sample", enums their first value. */
const SAMPLE_ARGS = { city: 'sample', unit: 'celsius' };

const chatTools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { ...WEATHER, parameters: WEATHER_SCHEMA } }];
const responsesTools: OpenAI.Responses.Tool[] = [{ type: 'function', ...WEATHER, parameters: WEATHER_SCHEMA, strict: false }];
const anthropicTools: Anthropic.Tool[] = [{ ...WEATHER, input_schema: WEATHER_SCHEMA as Anthropic.Tool.InputSchema }];
const geminiTools = [{ functionDeclarations: [{ ...WEATHER, parametersJsonSchema: WEATHER_SCHEMA }] }];

/** First turn: the user asks, tools offered. */
function firstTurn(client: ClientApi, model: string, prompt: string, stream: boolean): Promise<Outcome> {
  switch (client) {
    case 'chat':
      return chat(hub, { model, tools: chatTools, messages: [{ role: 'user', content: prompt }] }, stream);
    case 'responses':
      return responses(hub, { model, tools: responsesTools, input: prompt }, stream);
    case 'messages':
      return messages(hub, { model, max_tokens: 1024, tools: anthropicTools, messages: [{ role: 'user', content: prompt }] }, stream);
    case 'gemini':
      return gemini(hub, { model, contents: [{ role: 'user', parts: [{ text: prompt }] }], config: { tools: geminiTools } }, stream);
  }
}

/** Second turn: the history with the model's call, and the tool's result. */
function secondTurn(client: ClientApi, model: string, prompt: string, first: Outcome, stream: boolean): Promise<Outcome> {
  const call = first.toolCalls[0]!;
  switch (client) {
    case 'chat': {
      const msg = first.raw.choices[0].message as OpenAI.ChatCompletionMessage;
      const assistant: OpenAI.ChatCompletionAssistantMessageParam = {
        role: 'assistant',
        content: msg.content,
        tool_calls: msg.tool_calls!.map((c: any) => ({ id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments } })),
      };
      return chat(hub, { model, tools: chatTools, messages: [{ role: 'user', content: prompt }, assistant, { role: 'tool', tool_call_id: call.id, content: RESULT_TEXT }] }, stream);
    }
    case 'responses': {
      const echoed = (first.raw as OpenAI.Responses.Response).output.map((item: any) => {
        const { parsed_arguments: _parsed, ...rest } = item;
        return rest;
      });
      return responses(hub, { model, tools: responsesTools, input: [{ role: 'user', content: prompt }, ...echoed, { type: 'function_call_output', call_id: call.id, output: RESULT_TEXT }] }, stream);
    }
    case 'messages': {
      const content = (first.raw as Anthropic.Message).content as Anthropic.ContentBlockParam[];
      return messages(
        hub,
        {
          model,
          max_tokens: 1024,
          tools: anthropicTools,
          messages: [
            { role: 'user', content: prompt },
            { role: 'assistant', content },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: RESULT_TEXT }] },
          ],
        },
        stream,
      );
    }
    case 'gemini': {
      const response = { name: call.name, response: RESULT, ...(call.id ? { id: call.id } : {}) };
      const contents: Content[] = [{ role: 'user', parts: [{ text: prompt }] }, first.raw, { role: 'user', parts: [{ functionResponse: response }] }];
      return gemini(hub, { model, contents, config: { tools: geminiTools } }, stream);
    }
  }
}

/** The upstream's copy of the second turn holds the call and its result, paired in the provider's own way. */
function expectResultPairedUpstream(provider: Provider, body: any, callId: string): void {
  if (provider === 'openai') {
    if (Array.isArray(body.messages)) {
      const assistant = body.messages.find((m: any) => m.role === 'assistant');
      expect(assistant.tool_calls[0]).toMatchObject({ id: callId, function: { name: 'get_weather' } });
      expect(body.messages[body.messages.length - 1]).toMatchObject({ role: 'tool', tool_call_id: callId, content: RESULT_TEXT });
    } else {
      const call = body.input.find((i: any) => i.type === 'function_call');
      expect(call).toMatchObject({ call_id: callId, name: 'get_weather' });
      expect(body.input[body.input.length - 1]).toMatchObject({ type: 'function_call_output', call_id: callId, output: RESULT_TEXT });
    }
  } else if (provider === 'anthropic') {
    const [, assistant, user] = body.messages;
    expect(assistant.content.find((b: any) => b.type === 'tool_use')).toMatchObject({ id: callId, name: 'get_weather', input: SAMPLE_ARGS });
    expect(user.content[0]).toMatchObject({ type: 'tool_result', tool_use_id: callId });
    expect(JSON.stringify(user.content[0].content)).toContain('temp_c');
  } else {
    const [, model, user] = body.contents;
    expect(model.role).toBe('model');
    expect(model.parts.find((p: any) => p.functionCall).functionCall).toMatchObject({ name: 'get_weather', args: SAMPLE_ARGS });
    expect(user.parts[0].functionResponse).toMatchObject({ name: 'get_weather' });
    expect(JSON.stringify(user.parts[0].functionResponse.response)).toContain('21');
  }
}

describe.each(CLIENT_APIS)('%s client: tool call, then the result', (client) => {
  describe.each(PROVIDERS)('→ %s channel', (provider) => {
    it.each([false, true])('stream=%s', async (stream) => {
      const model = CHANNELS[provider].model;
      const prompt = `Weather in Paris? ${client} ${provider}`;
      const first = await firstTurn(client, model, prompt, stream);
      expect(first.toolCalls).toHaveLength(1);
      expect(first.toolCalls[0]).toMatchObject({ name: 'get_weather', args: SAMPLE_ARGS });
      expect(first.finish).toBe(CALLED[client]);
      // Gemini's wire has no call ids; every other client needs one to answer with.
      if (client !== 'gemini') expect(first.toolCalls[0]!.id).not.toBe('');
      await expectUsageRow(hub, first, { model, provider, stream, client });

      await hub.sim.clear();
      const second = await secondTurn(client, model, prompt, first, stream);
      expect(second.toolCalls).toEqual([]);
      expect(second.text).toContain('Simulated reply');
      expect(second.finish).toBe(DONE[client]);
      const [call] = (await hub.upstream()).filter((r) => r.method === 'POST');
      if (client !== 'gemini' || provider === 'gemini') expectResultPairedUpstream(provider, call!.body, first.toolCalls[0]!.id);
      else expectResultPairedUpstream(provider, call!.body, (provider === 'anthropic' ? call!.body.messages[1].content.find((b: any) => b.type === 'tool_use') : call!.body.messages[1].tool_calls[0]).id);
      await expectUsageRow(hub, second, { model, provider, stream, client });
    });
  });
});

describe('streamed tool-call deltas', () => {
  it.each(PROVIDERS)('chat ← %s: one stable index, id and name first, arguments in pieces that join to JSON', async (provider) => {
    const out = await chat(hub, { model: CHANNELS[provider].model, tools: chatTools, messages: [{ role: 'user', content: 'Weather in Oslo?' }] }, true);
    const deltas = out.events.flatMap((e) => e.choices[0]?.delta?.tool_calls ?? []);
    expect(deltas.length).toBeGreaterThan(0);
    expect(new Set(deltas.map((d: any) => d.index))).toEqual(new Set([0]));
    expect(deltas[0]).toMatchObject({ id: out.toolCalls[0]!.id, type: 'function', function: { name: 'get_weather' } });
    expect(deltas.slice(1).every((d: any) => d.id === undefined)).toBe(true);
    expect(JSON.parse(deltas.map((d: any) => d.function?.arguments ?? '').join(''))).toEqual(SAMPLE_ARGS);
  });

  it.each(PROVIDERS)('responses ← %s: function_call_arguments deltas join to the done arguments', async (provider) => {
    const out = await responses(hub, { model: CHANNELS[provider].model, tools: responsesTools, input: 'Weather in Oslo?' }, true);
    const joined = out.events.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta).join('');
    const done = out.events.find((e) => e.type === 'response.function_call_arguments.done');
    expect(JSON.parse(joined)).toEqual(SAMPLE_ARGS);
    expect(done.arguments).toBe(joined);
  });

  it.each(PROVIDERS)('messages ← %s: input_json_delta pieces the SDK parses into the tool input', async (provider) => {
    const out = await messages(hub, { model: CHANNELS[provider].model, max_tokens: 1024, tools: anthropicTools, messages: [{ role: 'user', content: 'Weather in Oslo?' }] }, true);
    const pieces = out.events.filter((e) => e.type === 'content_block_delta' && e.delta.type === 'input_json_delta').map((e) => e.delta.partial_json);
    expect(JSON.parse(pieces.join(''))).toEqual(SAMPLE_ARGS);
    expect(out.toolCalls[0]!.args).toEqual(SAMPLE_ARGS);
  });
});

/** A history where the model called the tool twice at once, and both results. */
function parallelHistory(client: ClientApi, model: string, stream: boolean): Promise<Outcome> {
  const paris = JSON.stringify({ city: 'Paris', unit: 'celsius' });
  const tokyo = JSON.stringify({ city: 'Tokyo', unit: 'celsius' });
  const ask = 'Weather in Paris and Tokyo?';
  switch (client) {
    case 'chat':
      return chat(
        hub,
        {
          model,
          tools: chatTools,
          messages: [
            { role: 'user', content: ask },
            {
              role: 'assistant',
              content: null,
              tool_calls: [
                { id: 'call_paris', type: 'function', function: { name: 'get_weather', arguments: paris } },
                { id: 'call_tokyo', type: 'function', function: { name: 'get_weather', arguments: tokyo } },
              ],
            },
            { role: 'tool', tool_call_id: 'call_paris', content: '{"temp_c":18}' },
            { role: 'tool', tool_call_id: 'call_tokyo', content: '{"temp_c":27}' },
          ],
        },
        stream,
      );
    case 'responses':
      return responses(
        hub,
        {
          model,
          tools: responsesTools,
          input: [
            { role: 'user', content: ask },
            { type: 'function_call', call_id: 'call_paris', name: 'get_weather', arguments: paris },
            { type: 'function_call', call_id: 'call_tokyo', name: 'get_weather', arguments: tokyo },
            { type: 'function_call_output', call_id: 'call_paris', output: '{"temp_c":18}' },
            { type: 'function_call_output', call_id: 'call_tokyo', output: '{"temp_c":27}' },
          ],
        },
        stream,
      );
    case 'messages':
      return messages(
        hub,
        {
          model,
          max_tokens: 1024,
          tools: anthropicTools,
          messages: [
            { role: 'user', content: ask },
            {
              role: 'assistant',
              content: [
                { type: 'tool_use', id: 'toolu_paris', name: 'get_weather', input: JSON.parse(paris) },
                { type: 'tool_use', id: 'toolu_tokyo', name: 'get_weather', input: JSON.parse(tokyo) },
              ],
            },
            {
              role: 'user',
              content: [
                { type: 'tool_result', tool_use_id: 'toolu_paris', content: '{"temp_c":18}' },
                { type: 'tool_result', tool_use_id: 'toolu_tokyo', content: '{"temp_c":27}' },
              ],
            },
          ],
        },
        stream,
      );
    case 'gemini':
      return gemini(
        hub,
        {
          model,
          config: { tools: geminiTools },
          contents: [
            { role: 'user', parts: [{ text: ask }] },
            { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: JSON.parse(paris) } }, { functionCall: { name: 'get_weather', args: JSON.parse(tokyo) } }] },
            {
              role: 'user',
              parts: [{ functionResponse: { name: 'get_weather', response: { temp_c: 18 } } }, { functionResponse: { name: 'get_weather', response: { temp_c: 27 } } }],
            },
          ],
        },
        stream,
      );
  }
}

/** Both calls and both results reached the upstream, each result answering its own call, in order. */
function expectParallelUpstream(provider: Provider, body: any): void {
  if (provider === 'openai') {
    const msgs = body.messages ?? [];
    if (msgs.length > 0) {
      const assistant = msgs.find((m: any) => m.role === 'assistant');
      const ids = assistant.tool_calls.map((c: any) => c.id);
      expect(assistant.tool_calls.map((c: any) => JSON.parse(c.function.arguments).city)).toEqual(['Paris', 'Tokyo']);
      const tools = msgs.filter((m: any) => m.role === 'tool');
      expect(tools.map((m: any) => m.tool_call_id)).toEqual(ids);
      expect(tools.map((m: any) => JSON.parse(m.content).temp_c)).toEqual([18, 27]);
    } else {
      const calls = body.input.filter((i: any) => i.type === 'function_call');
      const outputs = body.input.filter((i: any) => i.type === 'function_call_output');
      expect(calls.map((c: any) => JSON.parse(c.arguments).city)).toEqual(['Paris', 'Tokyo']);
      expect(outputs.map((o: any) => o.call_id)).toEqual(calls.map((c: any) => c.call_id));
    }
  } else if (provider === 'anthropic') {
    const [, assistant, user] = body.messages;
    const uses = assistant.content.filter((b: any) => b.type === 'tool_use');
    expect(uses.map((b: any) => b.input.city)).toEqual(['Paris', 'Tokyo']);
    expect(user.content.map((b: any) => b.tool_use_id)).toEqual(uses.map((b: any) => b.id));
    expect(user.content.map((b: any) => JSON.stringify(b.content))).toEqual([expect.stringContaining('18'), expect.stringContaining('27')]);
  } else {
    const [, model, user] = body.contents;
    expect(model.parts.map((p: any) => p.functionCall.args.city)).toEqual(['Paris', 'Tokyo']);
    expect(user.parts).toHaveLength(2);
    expect(user.parts.map((p: any) => JSON.stringify(p.functionResponse.response))).toEqual([expect.stringContaining('18'), expect.stringContaining('27')]);
  }
}

describe.each(CLIENT_APIS)('%s client: a history with parallel calls', (client) => {
  it.each(PROVIDERS)('→ %s channel: both calls and results arrive paired; the answer is text', async (provider) => {
    const model = CHANNELS[provider].model;
    await hub.sim.clear();
    const out = await parallelHistory(client, model, false);
    expect(out.toolCalls).toEqual([]);
    expect(out.finish).toBe(DONE[client]);
    const [call] = (await hub.upstream()).filter((r) => r.method === 'POST');
    expectParallelUpstream(provider, call!.body);
  });
});

describe('Gemini 3 requires thought signatures on its calls', () => {
  it.each(CLIENT_APIS)('%s client → gemini-3-pro-preview: the second turn is accepted', async (client) => {
    const model = 'gemini-3-pro-preview';
    const prompt = `Weather in Rome? ${client}`;
    const first = await firstTurn(client, model, prompt, false);
    expect(first.toolCalls[0]).toMatchObject({ name: 'get_weather' });
    await hub.sim.clear();
    const second = await secondTurn(client, model, prompt, first, true);
    expect(second.text).toContain('Simulated reply');
    const [call] = (await hub.upstream()).filter((r) => r.method === 'POST');
    const part = call!.body.contents[1].parts.find((p: any) => p.functionCall);
    expect(typeof part.thoughtSignature).toBe('string');
    expect(part.thoughtSignature).not.toBe('');
  });
});

describe('tool_choice', () => {
  const TIME = { name: 'get_time', description: 'Current time in a city', schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };

  function ask(client: ClientApi, model: string, mode: 'force' | 'none'): Promise<Outcome> {
    const prompt = 'Weather and time in Lima?';
    switch (client) {
      case 'chat':
        return chat(
          hub,
          {
            model,
            tools: [...chatTools, { type: 'function', function: { name: TIME.name, description: TIME.description, parameters: TIME.schema } }],
            tool_choice: mode === 'none' ? 'none' : { type: 'function', function: { name: 'get_time' } },
            messages: [{ role: 'user', content: prompt }],
          },
          false,
        );
      case 'responses':
        return responses(
          hub,
          {
            model,
            tools: [...responsesTools, { type: 'function', name: TIME.name, description: TIME.description, parameters: TIME.schema, strict: false }],
            tool_choice: mode === 'none' ? 'none' : { type: 'function', name: 'get_time' },
            input: prompt,
          },
          false,
        );
      case 'messages':
        return messages(
          hub,
          {
            model,
            max_tokens: 500,
            tools: [...anthropicTools, { name: TIME.name, description: TIME.description, input_schema: TIME.schema as Anthropic.Tool.InputSchema }],
            tool_choice: mode === 'none' ? { type: 'none' } : { type: 'tool', name: 'get_time' },
            messages: [{ role: 'user', content: prompt }],
          },
          false,
        );
      case 'gemini':
        return gemini(
          hub,
          {
            model,
            contents: prompt,
            config: {
              tools: [{ functionDeclarations: [{ ...WEATHER, parametersJsonSchema: WEATHER_SCHEMA }, { name: TIME.name, description: TIME.description, parametersJsonSchema: TIME.schema }] }],
              toolConfig: { functionCallingConfig: mode === 'none' ? { mode: 'NONE' as any } : { mode: 'ANY' as any, allowedFunctionNames: ['get_time'] } },
            },
          },
          false,
        );
    }
  }

  function expectUpstreamChoice(provider: Provider, body: any, mode: 'force' | 'none'): void {
    if (provider === 'openai') {
      if (mode === 'none') expect(body.tool_choice).toBe('none');
      else expect(body.tool_choice?.function?.name ?? body.tool_choice?.name).toBe('get_time');
    } else if (provider === 'anthropic') {
      expect(body.tool_choice).toEqual(mode === 'none' ? { type: 'none' } : { type: 'tool', name: 'get_time' });
    } else {
      const config = body.toolConfig.functionCallingConfig;
      if (mode === 'none') expect(config.mode).toBe('NONE');
      else expect(config).toMatchObject({ mode: 'ANY', allowedFunctionNames: ['get_time'] });
    }
  }

  describe.each(CLIENT_APIS)('%s client', (client) => {
    it.each(PROVIDERS)('→ %s channel: a forced tool is the one called; none gives text', async (provider) => {
      const model = CHANNELS[provider].model;
      await hub.sim.clear();
      const forced = await ask(client, model, 'force');
      expect(forced.toolCalls.map((c) => c.name)).toEqual(['get_time']);
      expect(forced.toolCalls[0]!.args).toEqual({ city: 'sample' });
      const [first] = (await hub.upstream()).filter((r) => r.method === 'POST');
      expectUpstreamChoice(provider, first!.body, 'force');

      await hub.sim.clear();
      const none = await ask(client, model, 'none');
      expect(none.toolCalls).toEqual([]);
      expect(none.text).toContain('Simulated reply');
      const [second] = (await hub.upstream()).filter((r) => r.method === 'POST');
      expectUpstreamChoice(provider, second!.body, 'none');
    });
  });
});

describe('a tool result holding an image', () => {
  it.each(PROVIDERS)('Anthropic client → %s channel: the text and the image both reach the provider', async (provider) => {
    const { PNG_BASE64 } = await import('./rig.js');
    const model = CHANNELS[provider].model;
    await hub.sim.clear();
    const out = await messages(
      hub,
      {
        model,
        max_tokens: 500,
        tools: [{ name: 'snapshot', description: 'Takes a picture', input_schema: { type: 'object', properties: {} } }],
        messages: [
          { role: 'user', content: 'Take a picture of the harbour' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_snap', name: 'snapshot', input: {} }] },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_snap',
                content: [
                  { type: 'text', text: 'picture taken' },
                  { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_BASE64 } },
                ],
              },
            ],
          },
        ],
      },
      false,
    );
    // OpenAI tool messages take text only: the image follows as a user message, after which the
    // simulated model (which calls a tool whenever the last turn is the user's) calls again.
    if (provider === 'openai') expect(out.text || out.toolCalls[0]?.name).toBeTruthy();
    else expect(out.text).toContain('Simulated reply');
    const [call] = (await hub.upstream()).filter((r) => r.method === 'POST');
    const body = JSON.stringify(call!.body);
    expect(body).toContain('picture taken');
    expect(body).toContain(PNG_BASE64);
    if (provider === 'openai') {
      const msgs = call!.body.messages;
      const toolIndex = msgs.findIndex((m: any) => m.role === 'tool');
      expect(msgs[toolIndex - 1].tool_calls[0].id).toBe(msgs[toolIndex].tool_call_id);
      expect(msgs[toolIndex].content).toBe('picture taken');
      expect(msgs[toolIndex + 1].role).toBe('user');
      expect(msgs[toolIndex + 1].content[0].image_url.url).toBe(`data:image/png;base64,${PNG_BASE64}`);
    }
    if (provider === 'gemini') {
      const user = call!.body.contents[2];
      expect(user.parts.some((p: any) => p.functionResponse?.name === 'snapshot')).toBe(true);
    }
  });
});

describe('Gemini OpenAPI-style schemas (uppercase types, as Gemini CLI sends)', () => {
  it.each(['openai', 'anthropic'] as const)('→ %s channel: the provider gets JSON Schema', async (provider) => {
    await hub.sim.clear();
    const out = await gemini(
      hub,
      {
        model: CHANNELS[provider].model,
        contents: 'Weather in Quito?',
        config: {
          tools: [
            {
              functionDeclarations: [
                {
                  name: 'get_weather',
                  description: 'Current weather',
                  parameters: { type: 'OBJECT' as any, properties: { city: { type: 'STRING' as any }, days: { type: 'INTEGER' as any, nullable: true } }, required: ['city'] },
                },
              ],
            },
          ],
        },
      },
      false,
    );
    expect(out.toolCalls[0]).toMatchObject({ name: 'get_weather' });
    const [call] = (await hub.upstream()).filter((r) => r.method === 'POST');
    const schema = provider === 'openai' ? call!.body.tools[0].function.parameters : call!.body.tools[0].input_schema;
    expect(schema.type).toBe('object');
    expect(schema.properties.city.type).toBe('string');
    expect(JSON.stringify(schema)).not.toMatch(/"(OBJECT|STRING|INTEGER)"/);
    expect(schema.required).toEqual(['city']);
  });
});
