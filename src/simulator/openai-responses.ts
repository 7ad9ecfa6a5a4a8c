// POST /v1/responses, like OpenAI's Responses API: output items (reasoning
// for o*/gpt-5* models, then a message or a function_call), usage with cached
// and reasoning tokens, max_output_tokens → status "incomplete", text.format
// json_schema → JSON text. Same deterministic text as chat for the same prompt.

import { asRecord, type SimContext } from './context.js';
import { newId } from './ids.js';
import { readResponsesRequest, type FunctionTool, type ResponsesRequest } from './openai-responses-request.js';
import { responseJson, type PlannedItem, type ResponsePlan } from './openai-responses-shape.js';
import { streamResponse } from './openai-responses-stream.js';
import { isSimError } from './errors.js';
import { lookupPrefix } from './prompt-cache.js';
import { countTokens, fakeReply, fakeSignature, fakeThought, hashString, sampleFromSchema } from './text.js';

function pickTool(req: ResponsesRequest): FunctionTool | undefined {
  const choice = req.toolChoice;
  if (req.functionTools.length === 0 || choice === 'none') return undefined;
  const c = asRecord(choice);
  const forcedName = c.type === 'function' && typeof c.name === 'string' ? c.name : undefined;
  const forced = choice === 'required' || forcedName !== undefined;
  if (!forced && req.afterToolOutput) return undefined;
  return req.functionTools.find((t) => t.name === forcedName) ?? req.functionTools[0];
}

function jsonAnswer(format: Record<string, unknown>, text: string): string | undefined {
  if (format.type === 'json_schema') return JSON.stringify(sampleFromSchema(format.schema));
  if (format.type === 'json_object') return JSON.stringify({ answer: text });
  return undefined;
}

function plan(ctx: SimContext, req: ResponsesRequest): ResponsePlan {
  const seen = lookupPrefix(ctx.promptCache, req.prefixTokens, req.prefixKey);
  const cached = seen === 'hit' ? Math.floor(req.prefixTokens / 128) * 128 : 0;
  const seed = hashString(req.lastUserText);
  const max = req.maxOutputTokens;
  let reasoning = req.reasoningModel && req.effort !== 'minimal' && req.effort !== 'none' ? 64 + (seed % 192) : 0;
  let status: ResponsePlan['status'] = 'completed';
  let visible = 0;
  const items: PlannedItem[] = [];
  if (reasoning > 0) {
    if (max !== undefined && reasoning >= max) {
      reasoning = max;
      status = 'incomplete';
    }
    const summary = req.summary ? fakeThought(req.lastUserText, Math.min(reasoning, 24 + (seed % 24))) : null;
    const encrypted = req.includeEncryptedReasoning ? fakeSignature(`${req.model}|${req.lastUserText}`, 96) : undefined;
    items.push({ kind: 'reasoning', id: newId('rs_'), summary, encrypted });
  }
  if (status === 'completed') {
    const tool = pickTool(req);
    if (tool) {
      const args = JSON.stringify(sampleFromSchema(tool.parameters));
      items.push({ kind: 'function_call', id: newId('fc_'), callId: newId('call_'), name: tool.name, arguments: args });
      visible = countTokens(tool.name + args) + 8;
    } else {
      const reply = fakeReply(req.lastUserText, 0, max === undefined ? undefined : max - reasoning);
      const json = reply.truncated ? undefined : jsonAnswer(req.format, reply.text);
      if (reply.truncated) status = 'incomplete';
      items.push({ kind: 'message', id: newId('msg_'), text: json ?? reply.text, status });
      visible = json ? countTokens(json) : reply.tokens;
    }
  }
  const output = visible + reasoning;
  return {
    id: newId('resp_'),
    createdAt: Math.floor(Date.now() / 1000),
    req,
    items,
    status,
    usage: {
      input_tokens: req.inputTokens,
      input_tokens_details: { cached_tokens: cached },
      output_tokens: output,
      output_tokens_details: { reasoning_tokens: reasoning },
      total_tokens: req.inputTokens + output,
    },
  };
}

export function handleResponses(ctx: SimContext): void {
  const req = readResponsesRequest(ctx.model, ctx.json);
  if (isSimError(req)) return ctx.reply.error(req);
  const p = plan(ctx, req);
  const headers = { 'x-request-id': newId('req_'), 'openai-processing-ms': '1' };
  if (req.stream) return streamResponse(ctx.reply, p, headers);
  ctx.reply.json(200, responseJson(p, 'final'), headers);
}
