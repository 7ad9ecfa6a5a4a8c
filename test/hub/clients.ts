// One call through each official SDK, whole or streamed, read back into a
// common shape so the matrix can compare what the clients saw. Every field
// comes from the SDK's own parsing (stream helpers included): nothing here
// reads the wire itself.
import type Anthropic from '@anthropic-ai/sdk';
import type { GenerateContentConfig, GenerateContentResponse, Content } from '@google/genai';
import type OpenAI from 'openai';
import type { Hub } from './rig.js';

export type ClientApi = 'chat' | 'responses' | 'messages' | 'gemini';
export const CLIENT_APIS: ClientApi[] = ['chat', 'responses', 'messages', 'gemini'];

export interface ToolCallSeen {
  id: string;
  name: string;
  args: unknown;
}

export interface Outcome {
  /** The visible answer. */
  text: string;
  /** Reasoning the client was shown (its own shape: reasoning_content, summaries, thinking blocks, thought parts). */
  reasoning: string;
  toolCalls: ToolCallSeen[];
  /** The finish/stop reason in the client's own words. */
  finish: string;
  /** Prompt tokens (cached included), cached prompt tokens, output tokens (reasoning included), reasoning tokens. */
  usage: { input: number; cached: number; output: number; reasoning: number };
  /** The final answer object, for a next turn. */
  raw: any;
  /** Stream only: the raw chunks/events in order. */
  events: any[];
}

// ---------------------------------------------------------------- OpenAI chat

export async function chat(hub: Hub, params: Omit<OpenAI.ChatCompletionCreateParamsNonStreaming, 'stream'>, stream: boolean): Promise<Outcome> {
  if (!stream) {
    const res = await hub.openai.chat.completions.create({ ...params, stream: false });
    const msg = res.choices[0]!.message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
    return {
      text: msg.content ?? '',
      reasoning: msg.reasoning_content ?? '',
      toolCalls: (msg.tool_calls ?? []).map((c) => ({ id: c.id, name: (c as any).function.name, args: JSON.parse((c as any).function.arguments) })),
      finish: res.choices[0]!.finish_reason,
      usage: chatUsage(res.usage),
      raw: res,
      events: [],
    };
  }
  const s = hub.openai.chat.completions.stream({ stream_options: { include_usage: true }, ...params, stream: true });
  const events: any[] = [];
  let reasoning = '';
  s.on('chunk', (chunk) => {
    events.push(chunk);
    const delta = chunk.choices[0]?.delta as { reasoning_content?: string } | undefined;
    if (typeof delta?.reasoning_content === 'string') reasoning += delta.reasoning_content;
  });
  const final = await s.finalChatCompletion();
  const msg = final.choices[0]!.message;
  return {
    text: msg.content ?? '',
    reasoning,
    toolCalls: (msg.tool_calls ?? []).map((c) => ({ id: c.id, name: (c as any).function.name, args: JSON.parse((c as any).function.arguments) })),
    finish: final.choices[0]!.finish_reason,
    usage: chatUsage(events.find((e) => e.usage)?.usage),
    raw: final,
    events,
  };
}

function chatUsage(u: OpenAI.CompletionUsage | null | undefined): Outcome['usage'] {
  return {
    input: u?.prompt_tokens ?? 0,
    cached: u?.prompt_tokens_details?.cached_tokens ?? 0,
    output: u?.completion_tokens ?? 0,
    reasoning: u?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

// ------------------------------------------------------------ OpenAI responses

export async function responses(hub: Hub, params: Omit<OpenAI.Responses.ResponseCreateParamsNonStreaming, 'stream'>, stream: boolean): Promise<Outcome> {
  let res: OpenAI.Responses.Response;
  const events: any[] = [];
  if (stream) {
    const s = hub.openai.responses.stream({ ...params, stream: true } as OpenAI.Responses.ResponseCreateParamsStreaming);
    s.on('event', (ev) => events.push(ev));
    res = await s.finalResponse();
  } else {
    res = await hub.openai.responses.create({ ...params, stream: false });
  }
  let reasoning = '';
  const toolCalls: ToolCallSeen[] = [];
  for (const item of res.output) {
    if (item.type === 'reasoning') for (const s of item.summary ?? []) reasoning += s.text;
    if (item.type === 'function_call') toolCalls.push({ id: item.call_id, name: item.name, args: JSON.parse(item.arguments) });
  }
  return {
    text: res.output_text,
    reasoning,
    toolCalls,
    finish: res.status === 'incomplete' ? `incomplete:${res.incomplete_details?.reason}` : String(res.status),
    usage: {
      input: res.usage?.input_tokens ?? 0,
      cached: res.usage?.input_tokens_details?.cached_tokens ?? 0,
      output: res.usage?.output_tokens ?? 0,
      reasoning: res.usage?.output_tokens_details?.reasoning_tokens ?? 0,
    },
    raw: res,
    events,
  };
}

// ------------------------------------------------------------------ Anthropic

export async function messages(hub: Hub, params: Omit<Anthropic.MessageCreateParamsNonStreaming, 'stream'>, stream: boolean): Promise<Outcome> {
  let msg: Anthropic.Message;
  const events: any[] = [];
  if (stream) {
    const s = hub.anthropic.messages.stream(params);
    s.on('streamEvent', (ev) => events.push(ev));
    msg = await s.finalMessage();
  } else {
    msg = await hub.anthropic.messages.create({ ...params, stream: false });
  }
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCallSeen[] = [];
  for (const block of msg.content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'thinking') reasoning += block.thinking;
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, args: block.input });
  }
  const u = msg.usage;
  return {
    text,
    reasoning,
    toolCalls,
    finish: String(msg.stop_reason),
    usage: {
      input: u.input_tokens + (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0),
      cached: u.cache_read_input_tokens ?? 0,
      output: u.output_tokens,
      reasoning: 0,
    },
    raw: msg,
    events,
  };
}

// --------------------------------------------------------------------- Gemini

export interface GeminiParams {
  model: string;
  contents: Content[] | string;
  config?: GenerateContentConfig;
}

export async function gemini(hub: Hub, params: GeminiParams, stream: boolean): Promise<Outcome> {
  const events: GenerateContentResponse[] = [];
  let parts: any[] = [];
  let finish = '';
  let usage: GenerateContentResponse['usageMetadata'];
  if (stream) {
    for await (const chunk of await hub.gemini.models.generateContentStream(params)) {
      events.push(chunk);
      const c = chunk.candidates?.[0];
      parts = parts.concat(c?.content?.parts ?? []);
      if (c?.finishReason) finish = c.finishReason;
      if (chunk.usageMetadata) usage = chunk.usageMetadata;
    }
  } else {
    const res = await hub.gemini.models.generateContent(params);
    events.push(res);
    parts = res.candidates?.[0]?.content?.parts ?? [];
    finish = res.candidates?.[0]?.finishReason ?? '';
    usage = res.usageMetadata;
  }
  let text = '';
  let reasoning = '';
  const toolCalls: ToolCallSeen[] = [];
  for (const p of parts) {
    if (typeof p.text === 'string') {
      if (p.thought) reasoning += p.text;
      else text += p.text;
    }
    if (p.functionCall) toolCalls.push({ id: p.functionCall.id ?? '', name: p.functionCall.name, args: p.functionCall.args });
  }
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  return {
    text,
    reasoning,
    toolCalls,
    finish,
    usage: { input: usage?.promptTokenCount ?? 0, cached: usage?.cachedContentTokenCount ?? 0, output: (usage?.candidatesTokenCount ?? 0) + thoughts, reasoning: thoughts },
    // The model turn as a client would send it back.
    raw: { role: 'model', parts } satisfies Content,
    events,
  };
}
