// An Anthropic Messages request (what a client sent) → the canonical request.
// Validates like Anthropic does, with its `path: message` errors.
import type { DecodeRequestOptions } from '../../canonical/codec.js';
import type {
  CanonicalRequest,
  Message,
  Part,
  ReasoningEffort,
  ReasoningOptions,
  ResponseFormat,
  ToolChoice,
  ToolDefinition,
} from '../../canonical/types.js';
import { GatewayError } from '../../errors.js';
import { decodeContent, decodeSystem, type ContentDecodeContext } from './content-decode.js';
import {
  absent,
  invalid,
  isRecord,
  optionalBoolean,
  optionalNumber,
  optionalString,
  optionalStringArray,
  requireArray,
  requireNumber,
  requireRecord,
  requireString,
  type Json,
} from './json-read.js';

export function decodeAnthropicRequest(json: Record<string, unknown>, opts: DecodeRequestOptions): CanonicalRequest {
  if (!isRecord(json)) throw new GatewayError('invalid_request', 'The request body must be a JSON object');
  const model = requireString(json.model, 'model');
  if (model === '') throw invalid('model', 'String should have at least 1 character');
  // count_tokens takes the same body without max_tokens.
  const countOnly = opts.operation.includes('count_tokens');
  const maxTokens = countOnly
    ? optionalNumber(json.max_tokens, 'max_tokens', { integer: true, min: 0 })
    : requireNumber(json.max_tokens, 'max_tokens', { integer: true, min: 0 });

  const system = decodeSystem(json.system, 'system');
  const messages = decodeMessages(json.messages, system);
  const req: CanonicalRequest = { model, system, messages, stream: optionalBoolean(json.stream, 'stream') ?? false };

  if (maxTokens !== undefined) req.maxOutputTokens = maxTokens;
  const temperature = optionalNumber(json.temperature, 'temperature', { min: 0, max: 1 });
  if (temperature !== undefined) req.temperature = temperature;
  const topP = optionalNumber(json.top_p, 'top_p', { min: 0, max: 1 });
  if (topP !== undefined) req.topP = topP;
  const topK = optionalNumber(json.top_k, 'top_k', { integer: true, min: 0 });
  if (topK !== undefined) req.topK = topK;
  const stop = optionalStringArray(json.stop_sequences, 'stop_sequences');
  if (stop !== undefined && stop.length > 0) req.stop = stop;

  const tools = decodeTools(json.tools);
  if (tools !== undefined) req.tools = tools;
  decodeToolChoice(json.tool_choice, req);

  const outputConfig = absent(json.output_config) ? undefined : requireRecord(json.output_config, 'output_config');
  const reasoning = decodeReasoning(json.thinking, outputConfig, maxTokens);
  if (reasoning !== undefined) req.reasoning = reasoning;
  const responseFormat = decodeResponseFormat(outputConfig, json.output_format);
  if (responseFormat !== undefined) req.responseFormat = responseFormat;

  if (!absent(json.metadata)) {
    const user = optionalString(requireRecord(json.metadata, 'metadata').user_id, 'metadata.user_id');
    if (user !== undefined) req.user = user;
  }
  return req;
}

function decodeMessages(value: unknown, system: Part[]): Message[] {
  const list = requireArray(value, 'messages');
  if (list.length === 0) throw invalid('messages', 'at least one message is required');
  const ctx: ContentDecodeContext = { toolNames: new Map() };
  const messages: Message[] = [];
  for (let i = 0; i < list.length; i++) {
    const path = `messages.${i}`;
    const msg = requireRecord(list[i], path);
    const role = requireString(msg.role, `${path}.role`);
    const parts = decodeContent(msg.content, `${path}.content`, ctx);
    if (role === 'system') {
      // The SDK's SystemMessageParam: text only, and the hub keeps system text apart.
      for (const [j, p] of parts.entries()) {
        if (p.type !== 'text') throw invalid(`${path}.content.${j}.type`, "Input should be 'text'");
        system.push(p);
      }
      continue;
    }
    if (role !== 'user' && role !== 'assistant') throw invalid(`${path}.role`, "Input should be 'user' or 'assistant'");
    const last = i === list.length - 1;
    if (parts.length === 0 && !(last && role === 'assistant')) {
      throw invalid(path, 'all messages must have non-empty content except for the optional final assistant message');
    }
    messages.push({ role, parts });
  }
  if (messages.length === 0) throw invalid('messages', 'at least one user or assistant message is required');
  return messages;
}

function decodeTools(value: unknown): ToolDefinition[] | undefined {
  if (absent(value)) return undefined;
  return requireArray(value, 'tools').map((item, i) => {
    const path = `tools.${i}`;
    const tool = requireRecord(item, path);
    const type = optionalString(tool.type, `${path}.type`);
    const name = requireString(tool.name, `${path}.name`);
    if (type !== undefined && type !== 'custom') {
      throw invalid(`${path}.type`, `'${type}' (${name}) is an Anthropic built-in tool and only works on Anthropic channels`);
    }
    const def: ToolDefinition = { name, parameters: requireRecord(tool.input_schema, `${path}.input_schema`) };
    const description = optionalString(tool.description, `${path}.description`);
    if (description !== undefined) def.description = description;
    return def;
  });
}

function decodeToolChoice(value: unknown, req: CanonicalRequest): void {
  if (absent(value)) return;
  const choice = requireRecord(value, 'tool_choice');
  const type = requireString(choice.type, 'tool_choice.type');
  let toolChoice: ToolChoice;
  if (type === 'auto') toolChoice = 'auto';
  else if (type === 'any') toolChoice = 'required';
  else if (type === 'none') toolChoice = 'none';
  else if (type === 'tool') toolChoice = { name: requireString(choice.name, 'tool_choice.name') };
  else throw invalid('tool_choice.type', "Input should be 'auto', 'any', 'tool' or 'none'");
  req.toolChoice = toolChoice;
  const disableParallel = optionalBoolean(choice.disable_parallel_tool_use, 'tool_choice.disable_parallel_tool_use');
  if (disableParallel !== undefined) req.parallelToolCalls = !disableParallel;
}

const effortByAnthropicEffort: Record<string, ReasoningEffort> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
  max: 'high',
};

function decodeReasoning(value: unknown, outputConfig: Json | undefined, maxTokens: number | undefined): ReasoningOptions | undefined {
  let reasoning: ReasoningOptions | undefined;
  if (!absent(value)) {
    const thinking = requireRecord(value, 'thinking');
    const type = requireString(thinking.type, 'thinking.type');
    const display = optionalString(thinking.display, 'thinking.display');
    const includeThoughts = display !== 'omitted';
    if (type === 'enabled') {
      const budget = requireNumber(thinking.budget_tokens, 'thinking.budget_tokens', { integer: true, min: 1024 });
      if (maxTokens !== undefined && budget >= maxTokens) {
        throw invalid('max_tokens', '`max_tokens` must be greater than `thinking.budget_tokens`');
      }
      reasoning = { budgetTokens: budget, includeThoughts };
    } else if (type === 'adaptive' || type === 'between_tools') {
      reasoning = { budgetTokens: -1, includeThoughts };
    } else if (type === 'disabled') {
      return { effort: 'none' };
    } else {
      throw invalid('thinking.type', "Input should be 'enabled', 'adaptive' or 'disabled'");
    }
  }
  const effort = outputConfig === undefined ? undefined : optionalString(outputConfig.effort, 'output_config.effort');
  if (effort !== undefined) {
    const mapped = effortByAnthropicEffort[effort];
    if (mapped === undefined) throw invalid('output_config.effort', "Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
    reasoning = { ...reasoning, effort: mapped };
  }
  return reasoning;
}

/** `output_config.format` (current) or the older beta `output_format`. */
function decodeResponseFormat(outputConfig: Json | undefined, legacy: unknown): ResponseFormat | undefined {
  const [value, path] = outputConfig !== undefined && !absent(outputConfig.format)
    ? [outputConfig.format, 'output_config.format']
    : [legacy, 'output_format'];
  if (absent(value)) return undefined;
  const format = requireRecord(value, path);
  const type = requireString(format.type, `${path}.type`);
  if (type !== 'json_schema') throw invalid(`${path}.type`, "Input should be 'json_schema'");
  return { type: 'json_schema', schema: requireRecord(format.schema, `${path}.schema`) };
}
