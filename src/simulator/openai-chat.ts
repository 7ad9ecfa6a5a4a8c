// POST /v1/chat/completions, like OpenAI: whole or streamed (SSE ending in
// `data: [DONE]`), tool calls streamed by index, `n` choices, max tokens,
// JSON response formats, usage with cached and reasoning token details.
// DeepSeek's thinking models (`deepseek-reasoner`, `*-r1`) answer with
// `reasoning_content` in the message, streamed before the content.

import { asRecord, type SimContext } from './context.js';
import { openaiError } from './errors.js';
import { newId } from './ids.js';
import { lookupPrefix } from './prompt-cache.js';
import { chunkText, countTokens, fakeReply, fakeThought, hashString, sampleFromSchema } from './text.js';

const REASONING_MODEL = /^(o\d|gpt-5)/;
const DEEPSEEK_THINKING = /deepseek-reasoner|-r1/i;
const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const IMAGE_INPUT_TOKENS = 765;
const FINGERPRINT = 'fp_sim0001';

interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

interface Choice {
  index: number;
  content: string | null;
  /** DeepSeek's thinking text. */
  reasoningContent?: string;
  toolCall?: ToolCall;
  finish: 'stop' | 'length' | 'tool_calls';
  tokens: number;
}

function partsText(content: unknown): { text: string; images: number } {
  if (typeof content === 'string') return { text: content, images: 0 };
  let text = '';
  let images = 0;
  if (Array.isArray(content)) {
    for (const part of content) {
      const p = asRecord(part);
      if (typeof p.text === 'string') text += p.text;
      else if (p.type === 'image_url') images++;
    }
  }
  return { text, images };
}

function pickTool(body: Record<string, unknown>, lastRole: string): { name: string; parameters: unknown } | undefined {
  const tools = Array.isArray(body.tools) ? body.tools.map((t) => asRecord(asRecord(t).function)) : [];
  const choice = body.tool_choice;
  if (tools.length === 0 || choice === 'none') return undefined;
  const forcedName = asRecord(asRecord(choice).function).name;
  const forced = choice === 'required' || typeof forcedName === 'string';
  if (!forced && lastRole !== 'user') return undefined;
  const tool = tools.find((t) => t.name === forcedName) ?? tools[0];
  return tool && typeof tool.name === 'string' ? { name: tool.name, parameters: tool.parameters } : undefined;
}

function jsonAnswer(format: Record<string, unknown>, text: string): string | undefined {
  if (format.type === 'json_schema') return JSON.stringify(sampleFromSchema(asRecord(format.json_schema).schema));
  if (format.type === 'json_object') return JSON.stringify({ answer: text });
  return undefined;
}

function validate(ctx: SimContext, body: Record<string, unknown>) {
  if (!ctx.model) return openaiError(400, 'you must provide a model parameter');
  if (ctx.model.includes('nonexistent')) {
    return openaiError(404, `The model \`${ctx.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', null, 'model_not_found');
  }
  const messages = body.messages;
  if (messages === undefined) {
    return openaiError(400, "Missing required parameter: 'messages'.", 'invalid_request_error', 'messages', 'missing_required_parameter');
  }
  if (!Array.isArray(messages)) {
    return openaiError(400, `Invalid type for 'messages': expected an array of objects, but got ${typeof messages} instead.`, 'invalid_request_error', 'messages', 'invalid_type');
  }
  if (messages.length === 0) return openaiError(400, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'invalid_request_error', 'messages', 'empty_array');
  for (let i = 0; i < messages.length; i++) {
    const role = asRecord(messages[i]).role;
    if (typeof role !== 'string' || !ROLES.has(role)) {
      return openaiError(400, `Invalid value: '${String(role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`, 'invalid_request_error', `messages[${i}].role`, 'invalid_value');
    }
  }
  const n = body.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 128) {
    return openaiError(400, `Invalid 'n': expected an integer between 1 and 128, but got ${JSON.stringify(n)} instead.`, 'invalid_request_error', 'n', 'invalid_value');
  }
  if (REASONING_MODEL.test(ctx.model) && body.max_tokens !== undefined) {
    return openaiError(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", 'invalid_request_error', 'max_tokens', 'unsupported_parameter');
  }
  for (const name of ['max_tokens', 'max_completion_tokens']) {
    const v = body[name];
    if (v !== undefined && v !== null && (typeof v !== 'number' || !Number.isInteger(v) || v < 1)) {
      return openaiError(400, `Invalid '${name}': expected an integer of at least 1, but got ${JSON.stringify(v)} instead.`, 'invalid_request_error', name, 'invalid_value');
    }
  }
  return undefined;
}

export function handleChatCompletions(ctx: SimContext): void {
  const body = asRecord(ctx.json);
  const invalid = validate(ctx, body);
  if (invalid) return ctx.reply.error(invalid);
  const model = ctx.model as string;
  const messages = (body.messages as unknown[]).map(asRecord);

  let promptText = '';
  let images = 0;
  let lastText = '';
  for (const msg of messages) {
    const { text, images: count } = partsText(msg.content);
    promptText += text;
    images += count;
    if (msg.role === 'user') lastText = text;
    if (Array.isArray(msg.tool_calls)) promptText += JSON.stringify(msg.tool_calls);
  }
  const toolsText = Array.isArray(body.tools) ? JSON.stringify(body.tools) : '';
  const promptTokens = countTokens(promptText) + countTokens(toolsText) + 3 * messages.length + 3 + images * IMAGE_INPUT_TOKENS;
  const lastTokens = countTokens(partsText(messages[messages.length - 1]?.content).text);
  const prefixMessages = messages.length > 1 ? messages.slice(0, -1) : messages;
  const prefixTokens = messages.length > 1 ? promptTokens - lastTokens : promptTokens;
  const seen = lookupPrefix(ctx.promptCache, prefixTokens, () => `openai|${model}|${toolsText}|${JSON.stringify(prefixMessages)}`);
  const cached = seen === 'hit' ? Math.floor(prefixTokens / 128) * 128 : 0;

  const seed = hashString(lastText);
  const thought = DEEPSEEK_THINKING.test(model) ? fakeThought(lastText, 24 + (seed % 40)) : undefined;
  const reasoning =
    thought !== undefined ? countTokens(thought) : REASONING_MODEL.test(model) && body.reasoning_effort !== 'minimal' ? 64 + (seed % 192) : 0;
  const rawLimit = body.max_completion_tokens ?? body.max_tokens;
  const limit = typeof rawLimit === 'number' ? Math.max(0, rawLimit - reasoning) : undefined;
  const tool = pickTool(body, String(messages[messages.length - 1]?.role));
  const format = asRecord(body.response_format);

  const n = typeof body.n === 'number' ? body.n : 1;
  const choices: Choice[] = [];
  for (let index = 0; index < n; index++) {
    if (tool) {
      const args = JSON.stringify(sampleFromSchema(tool.parameters));
      const call = { id: newId('call_'), name: tool.name, arguments: args };
      choices.push({ index, content: null, reasoningContent: thought, toolCall: call, finish: 'tool_calls', tokens: countTokens(tool.name + args) + 8 });
      continue;
    }
    const reply = fakeReply(lastText, index, limit);
    const json = reply.truncated ? undefined : jsonAnswer(format, reply.text);
    const content = json ?? reply.text;
    choices.push({ index, content, reasoningContent: thought, finish: reply.truncated ? 'length' : 'stop', tokens: json ? countTokens(json) : reply.tokens });
  }

  const completionTokens = choices.reduce((sum, c) => sum + c.tokens + reasoning, 0);
  const usage: Record<string, unknown> = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning * choices.length, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  // DeepSeek reports its context cache in two extra fields.
  if (model.includes('deepseek')) Object.assign(usage, { prompt_cache_hit_tokens: cached, prompt_cache_miss_tokens: promptTokens - cached });
  const id = newId('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const headers = { 'x-request-id': newId('req_'), 'openai-processing-ms': '1' };

  if (body.stream === true) {
    const includeUsage = asRecord(body.stream_options).include_usage === true;
    streamChoices(ctx, { id, created, model, choices, usage: includeUsage ? usage : undefined }, headers);
    return;
  }
  ctx.reply.json(200, {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: choices.map((c) => ({
      index: c.index,
      message: {
        role: 'assistant',
        ...(c.reasoningContent !== undefined && { reasoning_content: c.reasoningContent }),
        content: c.content,
        refusal: null,
        annotations: [],
        ...(c.toolCall && {
          tool_calls: [{ id: c.toolCall.id, type: 'function', function: { name: c.toolCall.name, arguments: c.toolCall.arguments } }],
        }),
      },
      logprobs: null,
      finish_reason: c.finish,
    })),
    usage,
    service_tier: 'default',
    system_fingerprint: FINGERPRINT,
  }, headers);
}

interface StreamPlan {
  id: string;
  created: number;
  model: string;
  choices: Choice[];
  usage: unknown;
}

function streamChoices(ctx: SimContext, plan: StreamPlan, headers: Record<string, string>): void {
  const { reply } = ctx;
  reply.open(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  const withUsage = plan.usage !== undefined;
  const send = (choices: unknown[], usage?: unknown): boolean => {
    const chunk: Record<string, unknown> = {
      id: plan.id,
      object: 'chat.completion.chunk',
      created: plan.created,
      model: plan.model,
      service_tier: 'default',
      system_fingerprint: FINGERPRINT,
      choices,
    };
    if (withUsage) chunk.usage = usage ?? null;
    return reply.event(`data: ${JSON.stringify(chunk)}\n\n`);
  };
  const delta = (index: number, d: unknown, finish: string | null = null) => [{ index, delta: d, logprobs: null, finish_reason: finish }];

  for (const c of plan.choices) {
    if (c.reasoningContent !== undefined) {
      if (!send(delta(c.index, { role: 'assistant', content: null, reasoning_content: '' }))) return;
      for (const piece of chunkText(c.reasoningContent, 12)) {
        if (!send(delta(c.index, { content: null, reasoning_content: piece }))) return;
      }
    }
    const thinking = c.reasoningContent !== undefined;
    if (c.toolCall) {
      const call = c.toolCall;
      const first = { ...(!thinking && { role: 'assistant' }), content: null, tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] };
      if (!send(delta(c.index, first))) return;
      for (const piece of chunkText(call.arguments, 6)) {
        if (!send(delta(c.index, { tool_calls: [{ index: 0, function: { arguments: piece } }] }))) return;
      }
    } else {
      if (!thinking && !send(delta(c.index, { role: 'assistant', content: '', refusal: null }))) return;
      for (const piece of chunkText(c.content ?? '', 4)) {
        if (!send(delta(c.index, thinking ? { content: piece, reasoning_content: null } : { content: piece }))) return;
      }
    }
    if (!send(delta(c.index, {}, c.finish))) return;
  }
  if (withUsage && !send([], plan.usage)) return;
  if (reply.event('data: [DONE]\n\n')) reply.end();
}
