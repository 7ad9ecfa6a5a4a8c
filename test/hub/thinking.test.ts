// Reasoning across the matrix: each client's own knob (reasoning_effort,
// reasoning.effort + summary, thinking budget, thinkingConfig) reaches the
// provider as its knob; the client sees the reasoning in its own shape
// (reasoning_content, reasoning summaries, thinking blocks, thought parts)
// and counts reasoning tokens; and signed thinking goes back to the provider
// on the next turn where the provider needs it.
import type Anthropic from '@anthropic-ai/sdk';
import type { Content } from '@google/genai';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, CLIENT_APIS, gemini, messages, responses, type ClientApi, type Outcome } from './clients.js';
import { DONE, expectUsageRow, upstreamCall } from './checks.js';
import { CHANNELS, PROVIDERS, startHub, WEATHER, WEATHER_SCHEMA, type Hub, type Provider } from './rig.js';

let hub: Hub;
beforeAll(async () => {
  hub = await startHub();
});
afterAll(async () => {
  await hub?.close();
});

function think(client: ClientApi, model: string, prompt: string, stream: boolean): Promise<Outcome> {
  switch (client) {
    case 'chat':
      return chat(hub, { model, reasoning_effort: 'low', messages: [{ role: 'user', content: prompt }] }, stream);
    case 'responses':
      return responses(hub, { model, reasoning: { effort: 'low', summary: 'auto' }, input: prompt }, stream);
    case 'messages':
      return messages(hub, { model, max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 2048 }, messages: [{ role: 'user', content: prompt }] }, stream);
    case 'gemini':
      return gemini(hub, { model, contents: prompt, config: { thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } } }, stream);
  }
}

/** The provider's own reasoning knob, as the upstream received it. */
function expectReasoningKnob(provider: Provider, body: any): void {
  if (provider === 'openai') {
    const effort = body.reasoning_effort ?? body.reasoning?.effort;
    expect(['low', 'medium']).toContain(effort);
  } else if (provider === 'anthropic') {
    expect(body.thinking).toMatchObject({ type: 'enabled' });
    expect(body.thinking.budget_tokens).toBeGreaterThanOrEqual(1024);
    expect(body.max_tokens).toBeGreaterThan(body.thinking.budget_tokens);
  } else {
    const config = body.generationConfig.thinkingConfig;
    expect(config.thinkingBudget ?? config.thinkingLevel).toBeTruthy();
    expect(config.includeThoughts).toBe(true);
  }
}

/** OpenAI's reasoning models do not show their reasoning through chat completions; the others do, to every client. */
function showsReasoning(client: ClientApi, provider: Provider): boolean {
  return provider !== 'openai' || client === 'responses';
}

describe.each(CLIENT_APIS)('%s client asks for reasoning', (client) => {
  describe.each(PROVIDERS)('→ %s channel', (provider) => {
    it.each([false, true])('stream=%s: knob mapped, reasoning shown and counted', async (stream) => {
      const model = CHANNELS[provider].reasoningModel;
      const prompt = `Think about tides ${client} ${provider}`;
      await hub.sim.clear();
      const out = await think(client, model, prompt, stream);
      expect(out.text).toContain(`Simulated reply to "${prompt}"`);
      expect(out.finish).toBe(DONE[client]);
      if (showsReasoning(client, provider)) expect(out.reasoning).toMatch(/^Considering the request/);
      else expect(out.reasoning).toBe('');

      const call = await upstreamCall(hub, provider, model, stream);
      expectReasoningKnob(provider, call.body);

      const row = await expectUsageRow(hub, out, { model, provider, stream, client });
      if (client !== 'messages') expect(out.usage.reasoning).toBeGreaterThan(0);
      // Anthropic reports no thinking count: only an Anthropic client talking to Claude (passthrough) has nothing to count from.
      if (!(client === 'messages' && provider === 'anthropic')) expect(row.reasoning_tokens).toBeGreaterThan(0);
    });
  });
});

describe('DeepSeek reasoning_content from an openai-compatible channel', () => {
  it.each(CLIENT_APIS)('%s client sees the reasoning in its own shape', async (client) => {
    for (const stream of [false, true]) {
      const out = await think(client, 'deepseek-reasoner', 'Why is the sea salty?', stream);
      expect(out.reasoning).toMatch(/^Considering the request "Why is the sea salty\?"/);
      expect(out.text).toContain('Simulated reply to "Why is the sea salty?"');
    }
  });
});

// ---------------------------------------------------------------------------
// Claude's signed thinking must come back first in the assistant turn of a
// tool loop (Anthropic refuses the turn otherwise). The signature is
// deterministic per prompt in the simulator, so a passthrough call with the
// same prompt tells what it must be.

const anthropicTools: Anthropic.Tool[] = [{ ...WEATHER, input_schema: WEATHER_SCHEMA as Anthropic.Tool.InputSchema }];
const RESULT = '{"temp_c":21}';

async function referenceSignature(prompt: string): Promise<{ thinking: string; signature: string }> {
  const msg = await hub.anthropic.messages.create({
    model: CHANNELS.anthropic.model,
    max_tokens: 4096,
    thinking: { type: 'enabled', budget_tokens: 2048 },
    tools: anthropicTools,
    messages: [{ role: 'user', content: prompt }],
  });
  const block = msg.content[0] as Anthropic.ThinkingBlock;
  expect(block.type).toBe('thinking');
  return { thinking: block.thinking, signature: block.signature };
}

async function toolLoopWithThinking(client: ClientApi, prompt: string, stream: boolean): Promise<void> {
  const model = CHANNELS.anthropic.model;
  switch (client) {
    case 'chat': {
      const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { ...WEATHER, parameters: WEATHER_SCHEMA } }];
      const first = await chat(hub, { model, reasoning_effort: 'low', tools, messages: [{ role: 'user', content: prompt }] }, stream);
      // A chat client echoes the whole assistant message back, as the SDK returned it.
      const assistant = first.raw.choices[0].message;
      await hub.sim.clear();
      await chat(hub, { model, reasoning_effort: 'low', tools, messages: [{ role: 'user', content: prompt }, assistant, { role: 'tool', tool_call_id: first.toolCalls[0]!.id, content: RESULT }] }, stream);
      return;
    }
    case 'responses': {
      const tools: OpenAI.Responses.Tool[] = [{ type: 'function', ...WEATHER, parameters: WEATHER_SCHEMA, strict: false }];
      const params = { model, reasoning: { effort: 'low' as const, summary: 'auto' as const }, include: ['reasoning.encrypted_content' as const], tools };
      const first = await responses(hub, { ...params, input: prompt }, stream);
      const echoed = (first.raw as OpenAI.Responses.Response).output.map((item: any) => {
        const { parsed_arguments: _p, ...rest } = item;
        return rest;
      });
      await hub.sim.clear();
      await responses(hub, { ...params, input: [{ role: 'user', content: prompt }, ...echoed, { type: 'function_call_output', call_id: first.toolCalls[0]!.id, output: RESULT }] }, stream);
      return;
    }
    case 'messages': {
      const params = { model, max_tokens: 4096, thinking: { type: 'enabled' as const, budget_tokens: 2048 }, tools: anthropicTools };
      const first = await messages(hub, { ...params, messages: [{ role: 'user', content: prompt }] }, stream);
      await hub.sim.clear();
      await messages(
        hub,
        {
          ...params,
          messages: [
            { role: 'user', content: prompt },
            { role: 'assistant', content: first.raw.content },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: first.toolCalls[0]!.id, content: RESULT }] },
          ],
        },
        stream,
      );
      return;
    }
    case 'gemini': {
      const config = { thinkingConfig: { thinkingBudget: 2048, includeThoughts: true }, tools: [{ functionDeclarations: [{ ...WEATHER, parametersJsonSchema: WEATHER_SCHEMA }] }] };
      const first = await gemini(hub, { model, contents: [{ role: 'user', parts: [{ text: prompt }] }], config }, stream);
      const call = first.toolCalls[0]!;
      const contents: Content[] = [
        { role: 'user', parts: [{ text: prompt }] },
        first.raw,
        { role: 'user', parts: [{ functionResponse: { name: call.name, response: { temp_c: 21 }, ...(call.id ? { id: call.id } : {}) } }] },
      ];
      await hub.sim.clear();
      await gemini(hub, { model, contents, config }, stream);
      return;
    }
  }
}

describe('Claude thinking signatures round-trip through a tool loop', () => {
  describe.each(CLIENT_APIS)('%s client', (client) => {
    it.each([false, true])('stream=%s', async (stream) => {
      const prompt = `Umbrella today? ${client} ${stream}`;
      const reference = await referenceSignature(prompt);
      await toolLoopWithThinking(client, prompt, stream);
      const [call] = (await hub.upstream()).filter((r) => r.method === 'POST');
      const body = call!.body;
      const assistant = body.messages[1];
      expect(assistant.role).toBe('assistant');
      if (client === 'chat') {
        // Chat has no field for a signature: the gateway must not send thinking Claude would refuse.
        const signed = assistant.content[0]?.type === 'thinking' && assistant.content[0].signature === reference.signature;
        expect(signed || body.thinking === undefined).toBe(true);
      } else {
        expect(assistant.content[0]).toEqual({ type: 'thinking', thinking: reference.thinking, signature: reference.signature });
        expect(body.thinking).toMatchObject({ type: 'enabled' });
      }
      expect(assistant.content.some((b: any) => b.type === 'tool_use')).toBe(true);
    });
  });
});
