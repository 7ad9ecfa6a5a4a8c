// POST /v1/messages and /v1/messages/count_tokens, GET /v1/models, like
// Anthropic: validation errors in its shape, thinking blocks with signatures,
// tool_use when tools are offered, prompt caching by cache_control.

import { asRecord, type SimContext } from './context.js';
import { anthropicError, type SimError } from './errors.js';
import { newId } from './ids.js';
import { lookupPrefix } from './prompt-cache.js';
import { streamMessage, type Block, type MessagePlan } from './anthropic-stream.js';
import { countTokens, fakeReply, fakeSignature, fakeThought, hashString, sampleFromSchema } from './text.js';

const IMAGE_TOKENS = 1568;

// Any model name is served (a name containing "nonexistent" is a 404); this
// is only what GET /v1/models lists.
export const ANTHROPIC_MODELS = [
  { id: 'claude-opus-4-6', display_name: 'Claude Opus 4.6', created_at: '2026-02-05T00:00:00Z' },
  { id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6', created_at: '2026-02-17T00:00:00Z' },
  { id: 'claude-opus-4-5-20251101', display_name: 'Claude Opus 4.5', created_at: '2025-11-01T00:00:00Z' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
];

function blockTokens(block: Record<string, unknown>): number {
  switch (block.type) {
    case 'text':
      return countTokens(String(block.text ?? ''));
    case 'image':
    case 'document':
      return IMAGE_TOKENS;
    case 'tool_use':
      return countTokens(String(block.name ?? '') + JSON.stringify(block.input ?? {}));
    case 'tool_result':
      return typeof block.content === 'string' ? countTokens(block.content) : contentTokens(block.content);
    case 'thinking':
      return countTokens(String(block.thinking ?? ''));
    default:
      return 0;
  }
}

function contentTokens(content: unknown): number {
  if (typeof content === 'string') return countTokens(content);
  if (!Array.isArray(content)) return 0;
  return content.reduce((sum: number, b) => sum + blockTokens(asRecord(b)), 0);
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((b) => asRecord(b)).filter((b) => b.type === 'text').map((b) => String(b.text ?? '')).join('');
}

/**
 * Input tokens, and the cacheable prefix: everything up to the last block with
 * cache_control, in Anthropic's cache order (tools, system, messages).
 */
function promptTokens(body: Record<string, unknown>): { total: number; prefix: number; prefixItems: unknown[] } {
  const items: { tokens: number; cached: boolean; value: unknown }[] = [];
  for (const tool of Array.isArray(body.tools) ? body.tools : []) {
    items.push({ tokens: countTokens(JSON.stringify(tool)), cached: asRecord(tool).cache_control !== undefined, value: tool });
  }
  const system = body.system;
  if (typeof system === 'string') items.push({ tokens: countTokens(system), cached: false, value: system });
  else if (Array.isArray(system)) {
    for (const b of system) items.push({ tokens: blockTokens(asRecord(b)), cached: asRecord(b).cache_control !== undefined, value: b });
  }
  for (const msg of (body.messages as unknown[]).map(asRecord)) {
    const content = msg.content;
    if (typeof content === 'string') items.push({ tokens: countTokens(content) + 3, cached: false, value: msg });
    else if (Array.isArray(content)) {
      items.push({ tokens: 3, cached: false, value: msg.role });
      for (const b of content) items.push({ tokens: blockTokens(asRecord(b)), cached: asRecord(b).cache_control !== undefined, value: b });
    }
  }
  let total = 0;
  let prefix = 0;
  let prefixEnd = 0;
  items.forEach((item, i) => {
    total += item.tokens;
    if (item.cached) {
      prefix = total;
      prefixEnd = i + 1;
    }
  });
  return { total: total + 1, prefix, prefixItems: items.slice(0, prefixEnd).map((item) => item.value) };
}

function validate(ctx: SimContext, body: Record<string, unknown>, needsMaxTokens: boolean): SimError | undefined {
  if (typeof ctx.req.headers['anthropic-version'] !== 'string') {
    return anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required');
  }
  if (!ctx.model) return anthropicError(400, 'invalid_request_error', 'model: Field required');
  if (ctx.model.includes('nonexistent')) return anthropicError(404, 'not_found_error', `model: ${ctx.model}`);
  if (needsMaxTokens) {
    if (body.max_tokens === undefined) return anthropicError(400, 'invalid_request_error', 'max_tokens: Field required');
    if (typeof body.max_tokens !== 'number' || !Number.isInteger(body.max_tokens) || body.max_tokens < 1) {
      return anthropicError(400, 'invalid_request_error', 'max_tokens: Input should be greater than or equal to 1');
    }
  }
  if (body.messages === undefined) return anthropicError(400, 'invalid_request_error', 'messages: Field required');
  if (!Array.isArray(body.messages)) return anthropicError(400, 'invalid_request_error', 'messages: Input should be a valid list');
  if (body.messages.length === 0) return anthropicError(400, 'invalid_request_error', 'messages: at least one message is required');
  for (let i = 0; i < body.messages.length; i++) {
    const role = asRecord(body.messages[i]).role;
    if (role !== 'user' && role !== 'assistant') {
      return anthropicError(400, 'invalid_request_error', `messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
  }
  const thinking = asRecord(body.thinking);
  if (needsMaxTokens && thinking.type === 'enabled') {
    const budget = thinking.budget_tokens;
    if (typeof budget !== 'number' || !Number.isInteger(budget) || budget < 1024) {
      return anthropicError(400, 'invalid_request_error', 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024');
    }
    if (budget >= (body.max_tokens as number)) {
      return anthropicError(
        400,
        'invalid_request_error',
        '`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size',
      );
    }
  }
  return undefined;
}

function pickTool(body: Record<string, unknown>, last: Record<string, unknown>): { tool: Record<string, unknown>; forced: boolean } | undefined {
  const tools = Array.isArray(body.tools) ? body.tools.map(asRecord).filter((t) => typeof t.name === 'string') : [];
  const choice = asRecord(body.tool_choice);
  if (tools.length === 0 || choice.type === 'none') return undefined;
  const forced = choice.type === 'any' || choice.type === 'tool';
  const answersToolResult = Array.isArray(last.content) && last.content.some((b) => asRecord(b).type === 'tool_result');
  if (!forced && (last.role !== 'user' || answersToolResult)) return undefined;
  const tool = tools.find((t) => t.name === choice.name) ?? tools[0];
  return tool ? { tool, forced } : undefined;
}

export function handleMessages(ctx: SimContext): void {
  const body = asRecord(ctx.json);
  const invalid = validate(ctx, body, true);
  if (invalid) return ctx.reply.error(invalid);
  const model = ctx.model as string;
  const messages = (body.messages as unknown[]).map(asRecord);
  const last = messages[messages.length - 1] ?? {};
  const lastText = textOf([...messages].reverse().find((m) => m.role === 'user')?.content);
  const seed = hashString(lastText);

  const prompt = promptTokens(body);
  const seen = lookupPrefix(ctx.promptCache, prompt.prefix, () => `anthropic|${model}|${JSON.stringify(prompt.prefixItems)}`);
  const cacheRead = seen === 'hit' ? prompt.prefix : 0;
  const cacheWrite = seen === 'miss' ? prompt.prefix : 0;

  const blocks: Block[] = [];
  let outputTokens = 0;
  const thinking = asRecord(body.thinking);
  if (thinking.type === 'enabled' || thinking.type === 'adaptive') {
    const base = 48 + (seed % 96);
    const tokens = thinking.type === 'enabled' ? Math.min(thinking.budget_tokens as number, base) : base;
    const text = fakeThought(lastText, tokens);
    // display "omitted": the thinking is billed and signed but not shown.
    const shown = thinking.display === 'omitted' ? '' : text;
    blocks.push({ type: 'thinking', thinking: shown, signature: fakeSignature(`thinking|${text}`, 96) });
    outputTokens += countTokens(text);
  }
  let stopReason = 'end_turn';
  const choice = pickTool(body, last);
  if (choice) {
    const name = String(choice.tool.name);
    if (!choice.forced) {
      const lead = `I'll use the ${name} tool to help with that.`;
      blocks.push({ type: 'text', text: lead });
      outputTokens += countTokens(lead);
    }
    const input = sampleFromSchema(choice.tool.input_schema);
    blocks.push({ type: 'tool_use', id: newId('toolu_'), name, input });
    outputTokens += countTokens(name + JSON.stringify(input)) + 8;
    stopReason = 'tool_use';
  } else {
    const reply = fakeReply(lastText, 0, Math.max(0, (body.max_tokens as number) - outputTokens));
    blocks.push({ type: 'text', text: reply.text });
    outputTokens += reply.tokens;
    if (reply.truncated) stopReason = 'max_tokens';
  }

  const plan: MessagePlan = {
    id: newId('msg_'),
    model,
    blocks,
    stopReason,
    usage: {
      input_tokens: prompt.total - cacheRead - cacheWrite,
      cache_creation_input_tokens: cacheWrite,
      cache_read_input_tokens: cacheRead,
      output_tokens: Math.max(1, outputTokens),
    },
  };
  const headers = { 'request-id': newId('req_') };
  if (body.stream === true) return streamMessage(ctx.reply, plan, headers);
  ctx.reply.json(200, {
    id: plan.id,
    type: 'message',
    role: 'assistant',
    model,
    content: blocks,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: { ...plan.usage, service_tier: 'standard' },
  }, headers);
}

export function handleCountTokens(ctx: SimContext): void {
  const body = asRecord(ctx.json);
  const invalid = validate(ctx, body, false);
  if (invalid) return ctx.reply.error(invalid);
  ctx.reply.json(200, { input_tokens: promptTokens(body).total });
}

export function handleAnthropicModels(ctx: SimContext, id?: string): void {
  if (typeof ctx.req.headers['anthropic-version'] !== 'string') {
    return ctx.reply.error(anthropicError(400, 'invalid_request_error', 'anthropic-version: header is required'));
  }
  const models = ANTHROPIC_MODELS.map((m) => ({ type: 'model', ...m }));
  if (id !== undefined) {
    const model = models.find((m) => m.id === id);
    if (!model) return ctx.reply.error(anthropicError(404, 'not_found_error', `model: ${id}`));
    return ctx.reply.json(200, model);
  }
  const limit = Math.min(1000, Math.max(1, Number(ctx.query.get('limit') ?? 20) || 20));
  const after = ctx.query.get('after_id');
  const start = after ? models.findIndex((m) => m.id === after) + 1 : 0;
  const page = models.slice(start, start + limit);
  ctx.reply.json(200, {
    data: page,
    has_more: start + limit < models.length,
    first_id: page[0]?.id ?? null,
    last_id: page[page.length - 1]?.id ?? null,
  });
}
