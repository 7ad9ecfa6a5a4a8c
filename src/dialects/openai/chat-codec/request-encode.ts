// Canonical request → the body an OpenAI chat upstream (OpenAI or a compatible
// server) expects.
import type { EncodedRequest, EncodeRequestOptions } from '../../canonical/codec.js';
import type { CanonicalRequest, ReasoningOptions, ResponseFormat, ToolChoice } from '../../canonical/types.js';
import { encodeMessages } from './message-encode.js';
import type { Json } from './wire-guards.js';

export function encodeChatRequest(req: CanonicalRequest, opts: EncodeRequestOptions): EncodedRequest {
  const isOpenAI = opts.provider === 'openai';
  const body: Json = { model: opts.model, messages: encodeMessages(req, opts.provider) };
  // OpenAI's reasoning models refuse max_tokens; most compatible servers only know max_tokens.
  if (req.maxOutputTokens !== undefined) body[isOpenAI ? 'max_completion_tokens' : 'max_tokens'] = req.maxOutputTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.topK !== undefined && !isOpenAI) body.top_k = req.topK;
  if (req.stop !== undefined && req.stop.length > 0) body.stop = req.stop;
  if (req.n !== undefined) body.n = req.n;
  if (req.seed !== undefined) body.seed = req.seed;
  if (req.presencePenalty !== undefined) body.presence_penalty = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) body.frequency_penalty = req.frequencyPenalty;
  if (req.tools !== undefined && req.tools.length > 0) {
    body.tools = req.tools.map((t) => ({ type: 'function', function: { name: t.name, ...(t.description !== undefined && { description: t.description }), ...(t.parameters !== undefined && { parameters: t.parameters }) } }));
    if (req.toolChoice !== undefined) body.tool_choice = encodeToolChoice(req.toolChoice);
    // OpenAI refuses parallel_tool_calls without tools.
    if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  }
  if (req.responseFormat !== undefined) body.response_format = encodeResponseFormat(req.responseFormat);
  const effort = reasoningEffort(req.reasoning);
  if (effort !== undefined) body.reasoning_effort = effort;
  if (req.modalities !== undefined && req.modalities.length > 0) body.modalities = req.modalities;
  if (req.image !== undefined && (req.image.aspectRatio !== undefined || req.image.imageSize !== undefined)) {
    body.image_config = {
      ...(req.image.aspectRatio !== undefined && { aspect_ratio: req.image.aspectRatio }),
      ...(req.image.imageSize !== undefined && { image_size: req.image.imageSize }),
    };
  }
  if (req.user !== undefined) body.user = req.user;
  if (req.stream) {
    body.stream = true;
    // Usage arrives only when asked for; billing needs it whatever the client asked.
    body.stream_options = { include_usage: true };
  }
  return { operation: '/chat/completions', query: '', body };
}

function encodeToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
}

function encodeResponseFormat(format: ResponseFormat): Json {
  if (format.type !== 'json_schema') return { type: format.type };
  const spec: Json = { name: format.name ?? 'response', schema: format.schema };
  if (format.description !== undefined) spec.description = format.description;
  if (format.strict !== undefined) spec.strict = format.strict;
  return { type: 'json_schema', json_schema: spec };
}

/**
 * An effort passes through; a token budget maps onto the effort scale. A zero
 * or dynamic (-1) budget sends nothing: non-reasoning models refuse the field,
 * and reasoning ones then use their default.
 */
export function reasoningEffort(reasoning: ReasoningOptions | undefined): string | undefined {
  if (!reasoning) return undefined;
  if (reasoning.effort !== undefined) return reasoning.effort;
  const budget = reasoning.budgetTokens;
  if (budget === undefined || budget <= 0) return undefined;
  if (budget <= 1024) return 'low';
  if (budget <= 8192) return 'medium';
  return 'high';
}
