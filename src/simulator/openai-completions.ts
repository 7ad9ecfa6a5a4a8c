// POST /v1/completions, OpenAI's legacy text completions: a prompt string or
// array (token arrays read as text), `n` per prompt, max_tokens defaulting to
// 16 as OpenAI's does, `echo`, whole or streamed (SSE ending in
// `data: [DONE]`, a usage chunk with stream_options.include_usage). Chat
// models are refused as OpenAI refuses them.

import { asRecord, type SimContext } from './context.js';
import { openaiError, openaiMissing, openaiModelNotFound, type SimError } from './errors.js';
import { newId } from './ids.js';
import { chunkText, countTokens, fakeReply } from './text.js';

const DEFAULT_MAX_TOKENS = 16;
const CHAT_ONLY = /^(gpt-4|gpt-5|o\d|chatgpt-|gpt-3\.5-turbo(?!-instruct))/;
const FINGERPRINT = 'fp_sim0001';

interface Choice {
  index: number;
  text: string;
  finish: 'stop' | 'length';
  tokens: number;
}

/** The prompts as text, or undefined for a shape OpenAI refuses. */
function prompts(prompt: unknown): string[] | undefined {
  if (prompt === undefined || prompt === null) return ['<|endoftext|>'];
  if (typeof prompt === 'string') return [prompt];
  if (!Array.isArray(prompt) || prompt.length === 0) return undefined;
  if (prompt.every((p) => typeof p === 'string')) return prompt as string[];
  if (prompt.every((p) => typeof p === 'number')) return [prompt.join(' ')];
  if (prompt.every((p) => Array.isArray(p) && p.every((t) => typeof t === 'number'))) return prompt.map((p) => (p as number[]).join(' '));
  return undefined;
}

function integer(body: Record<string, unknown>, name: string, min: number, max: number): SimError | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    return openaiError(400, `Invalid '${name}': expected an integer between ${min} and ${max}, but got ${JSON.stringify(v)} instead.`, 'invalid_request_error', name, 'invalid_value');
  }
  return undefined;
}

export function handleCompletions(ctx: SimContext): void {
  const body = asRecord(ctx.json);
  const model = ctx.model;
  if (!model) return ctx.reply.error(openaiMissing('model'));
  if (model.includes('nonexistent')) return ctx.reply.error(openaiModelNotFound(model));
  if (CHAT_ONLY.test(model)) {
    return ctx.reply.error(openaiError(404, 'This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?', 'invalid_request_error', 'model'));
  }
  const texts = prompts(body.prompt);
  if (!texts) {
    return ctx.reply.error(openaiError(400, "Invalid type for 'prompt': expected one of a string, an array of strings, an array of integers or an array of integer arrays.", 'invalid_request_error', 'prompt', 'invalid_type'));
  }
  const invalid = integer(body, 'n', 1, 128) ?? integer(body, 'max_tokens', 0, 1_000_000);
  if (invalid) return ctx.reply.error(invalid);
  const n = typeof body.n === 'number' ? body.n : 1;
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : DEFAULT_MAX_TOKENS;

  const choices: Choice[] = [];
  let promptTokens = 0;
  texts.forEach((prompt, p) => {
    promptTokens += countTokens(prompt);
    for (let i = 0; i < n; i++) {
      const reply = fakeReply(prompt, i, maxTokens);
      const text = body.echo === true ? prompt + reply.text : reply.text;
      choices.push({ index: p * n + i, text, finish: reply.truncated ? 'length' : 'stop', tokens: reply.tokens });
    }
  });
  const completionTokens = choices.reduce((sum, c) => sum + c.tokens, 0);
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  const id = newId('cmpl-');
  const created = Math.floor(Date.now() / 1000);
  const headers = { 'x-request-id': newId('req_'), 'openai-processing-ms': '1' };
  const base = { id, object: 'text_completion', created, model, system_fingerprint: FINGERPRINT };

  if (body.stream !== true) {
    ctx.reply.json(200, {
      ...base,
      choices: choices.map((c) => ({ text: c.text, index: c.index, logprobs: null, finish_reason: c.finish })),
      usage,
    }, headers);
    return;
  }
  const withUsage = asRecord(body.stream_options).include_usage === true;
  const { reply } = ctx;
  reply.open(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  const send = (chunkChoices: unknown[], chunkUsage: unknown = null): boolean => {
    const chunk: Record<string, unknown> = { ...base, choices: chunkChoices };
    if (withUsage) chunk.usage = chunkUsage;
    return reply.event(`data: ${JSON.stringify(chunk)}\n\n`);
  };
  for (const c of choices) {
    for (const piece of chunkText(c.text, 4)) {
      if (!send([{ text: piece, index: c.index, logprobs: null, finish_reason: null }])) return;
    }
    if (!send([{ text: '', index: c.index, logprobs: null, finish_reason: c.finish }])) return;
  }
  if (withUsage && !send([], usage)) return;
  if (reply.event('data: [DONE]\n\n')) reply.end();
}
