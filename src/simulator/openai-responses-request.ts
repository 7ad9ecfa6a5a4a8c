// Reads and checks a POST /v1/responses body the way OpenAI does: input as a
// string or items (messages with input_/output_ parts, function_call,
// function_call_output, reasoning…), function tools in the flat Responses
// form, chat-only parameters refused, calls and outputs paired by call_id.

import { asRecord } from './context.js';
import { isSimError, openaiError, openaiInvalidValue, openaiMissing, type SimError } from './errors.js';
import { countTokens } from './text.js';

export const REASONING_MODEL = /^(o\d|gpt-5)/;
const IMAGE_INPUT_TOKENS = 765;
const LOW_DETAIL_IMAGE_TOKENS = 85;
const MIN_OUTPUT_TOKENS = 16;

const ROLES = ['user', 'assistant', 'system', 'developer'];
const PART_TYPES = ['input_text', 'input_image', 'output_text', 'refusal', 'input_file', 'computer_screenshot', 'summary_text'];
const INPUT_PARTS = ['input_text', 'input_image', 'input_file'];
const ASSISTANT_PARTS = ['output_text', 'refusal'];
const ITEM_TYPES = [
  'message', 'function_call', 'function_call_output', 'reasoning', 'item_reference', 'file_search_call', 'computer_call',
  'computer_call_output', 'web_search_call', 'image_generation_call', 'code_interpreter_call', 'local_shell_call',
  'local_shell_call_output', 'mcp_list_tools', 'mcp_approval_request', 'mcp_approval_response', 'mcp_call',
  'custom_tool_call', 'custom_tool_call_output',
];
const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];
const SUMMARIES = ['auto', 'concise', 'detailed'];

// Chat Completions parameters the Responses API does not take.
const MOVED: Record<string, string> = { response_format: 'text.format', reasoning_effort: 'reasoning.effort' };
const UNKNOWN = ['messages', 'max_tokens', 'max_completion_tokens', 'n', 'functions', 'function_call', 'stop'];

export interface FunctionTool {
  name: string;
  parameters: unknown;
}

export interface ResponsesRequest {
  model: string;
  body: Record<string, unknown>;
  instructions: string | null;
  /** Text of the last user message: seeds the reply, as in chat, so both give the same text. */
  lastUserText: string;
  /** The last input item is a function_call_output: the model answers in text. */
  afterToolOutput: boolean;
  inputTokens: number;
  /** Tokens before the last input item, and a key for them (the cacheable prefix). */
  prefixTokens: number;
  prefixKey: () => string;
  functionTools: FunctionTool[];
  /** Tools as OpenAI echoes them back (function tools with `strict` filled in). */
  tools: unknown[];
  toolChoice: unknown;
  maxOutputTokens: number | undefined;
  reasoningModel: boolean;
  effort: string | null;
  summary: string | null;
  /** `text.format`, `{type: 'text'}` by default. */
  format: Record<string, unknown>;
  stream: boolean;
  includeEncryptedReasoning: boolean;
}

interface Walk {
  tokens: number;
  lastTokens: number;
  lastUserText: string;
}

function partText(part: Record<string, unknown>): string {
  return typeof part.text === 'string' ? part.text : typeof part.refusal === 'string' ? part.refusal : '';
}

function checkMessage(item: Record<string, unknown>, at: string, walk: Walk): SimError | number {
  const role = item.role;
  if (typeof role !== 'string' || !ROLES.includes(role)) {
    return role === undefined ? openaiMissing(`${at}.role`) : openaiInvalidValue(`${at}.role`, role, ROLES);
  }
  const content = item.content;
  if (typeof content === 'string') {
    if (role === 'user') walk.lastUserText = content;
    return countTokens(content) + 3;
  }
  if (!Array.isArray(content)) {
    return content === undefined
      ? openaiMissing(`${at}.content`)
      : openaiError(400, `Invalid type for '${at}.content': expected one of a string or array of input content, but got ${typeof content} instead.`, 'invalid_request_error', `${at}.content`, 'invalid_type');
  }
  let tokens = 3;
  let text = '';
  for (let j = 0; j < content.length; j++) {
    const part = asRecord(content[j]);
    const where = `${at}.content[${j}]`;
    if (typeof part.type !== 'string' || !PART_TYPES.includes(part.type)) {
      return part.type === undefined ? openaiMissing(`${where}.type`) : openaiInvalidValue(where, part.type, PART_TYPES);
    }
    const allowed = role === 'assistant' ? ASSISTANT_PARTS : INPUT_PARTS;
    if (!allowed.includes(part.type)) return openaiInvalidValue(where, part.type, allowed);
    if (part.type === 'input_image') {
      tokens += part.detail === 'low' ? LOW_DETAIL_IMAGE_TOKENS : IMAGE_INPUT_TOKENS;
      continue;
    }
    if ((part.type === 'input_text' || part.type === 'output_text') && typeof part.text !== 'string') return openaiMissing(`${where}.text`);
    text += partText(part);
  }
  if (role === 'user') walk.lastUserText = text;
  return tokens + countTokens(text);
}

function outputTokens(output: unknown): number {
  if (typeof output === 'string') return countTokens(output);
  if (!Array.isArray(output)) return 0;
  return output.reduce((sum: number, part) => sum + countTokens(partText(asRecord(part))), 0);
}

/** Walks the input items; returns the first refusal, or the token totals. */
function readItems(items: unknown[], paired: boolean, walk: Walk): SimError | undefined {
  const calls = new Set<string>();
  const answered = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const raw = items[i];
    const at = `input[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      return openaiError(400, `Invalid type for '${at}': expected an input item object, but got ${Array.isArray(raw) ? 'an array' : typeof raw} instead.`, 'invalid_request_error', at, 'invalid_type');
    }
    const item = raw as Record<string, unknown>;
    const type = item.type ?? (item.role !== undefined ? 'message' : undefined);
    if (typeof type !== 'string' || !ITEM_TYPES.includes(type)) {
      return type === undefined ? openaiMissing(`${at}.type`) : openaiInvalidValue(`${at}.type`, type, ITEM_TYPES);
    }
    let tokens = 0;
    if (type === 'message') {
      const result = checkMessage(item, at, walk);
      if (typeof result !== 'number') return result;
      tokens = result;
    } else if (type === 'function_call') {
      for (const name of ['call_id', 'name', 'arguments']) {
        if (typeof item[name] !== 'string') return openaiMissing(`${at}.${name}`);
      }
      calls.add(item.call_id as string);
      tokens = countTokens(`${item.name as string}${item.arguments as string}`) + 3;
    } else if (type === 'function_call_output') {
      if (typeof item.call_id !== 'string') return openaiMissing(`${at}.call_id`);
      if (item.output === undefined) return openaiMissing(`${at}.output`);
      if (paired && !calls.has(item.call_id)) {
        return openaiError(400, `No tool call found for function call output with call_id ${item.call_id}.`, 'invalid_request_error', 'input');
      }
      answered.add(item.call_id);
      tokens = outputTokens(item.output) + 3;
    } else if (type === 'reasoning') {
      tokens = Array.isArray(item.summary) ? item.summary.reduce((s: number, p) => s + countTokens(partText(asRecord(p))), 0) : 0;
    }
    walk.tokens += tokens;
    walk.lastTokens = tokens;
  }
  if (paired) {
    for (const id of calls) {
      if (!answered.has(id)) return openaiError(400, `No tool output found for function call ${id}.`, 'invalid_request_error', 'input');
    }
  }
  return undefined;
}

function readTools(body: Record<string, unknown>): SimError | { tools: unknown[]; functions: FunctionTool[] } {
  if (body.tools === undefined || body.tools === null) return { tools: [], functions: [] };
  if (!Array.isArray(body.tools)) {
    return openaiError(400, `Invalid type for 'tools': expected an array of tools, but got ${typeof body.tools} instead.`, 'invalid_request_error', 'tools', 'invalid_type');
  }
  const tools: unknown[] = [];
  const functions: FunctionTool[] = [];
  for (let i = 0; i < body.tools.length; i++) {
    const tool = asRecord(body.tools[i]);
    if (typeof tool.type !== 'string') return openaiMissing(`tools[${i}].type`);
    if (tool.type !== 'function') {
      tools.push(tool);
      continue;
    }
    // A Chat Completions tool ({type, function: {name}}) lacks the flat name.
    if (typeof tool.name !== 'string' || tool.name === '') return openaiMissing(`tools[${i}].name`);
    functions.push({ name: tool.name, parameters: tool.parameters });
    tools.push({ type: 'function', name: tool.name, description: tool.description ?? null, parameters: tool.parameters ?? null, strict: tool.strict ?? true });
  }
  return { tools, functions };
}

function readReasoning(body: Record<string, unknown>, reasoningModel: boolean): SimError | { effort: string | null; summary: string | null } {
  const r = asRecord(body.reasoning);
  const effort = r.effort ?? null;
  const summary = r.summary ?? r.generate_summary ?? null;
  if (effort !== null && (typeof effort !== 'string' || !EFFORTS.includes(effort))) return openaiInvalidValue('reasoning.effort', effort, EFFORTS);
  if (summary !== null && (typeof summary !== 'string' || !SUMMARIES.includes(summary))) return openaiInvalidValue('reasoning.summary', summary, SUMMARIES);
  if (!reasoningModel) {
    if (effort !== null) {
      return openaiError(400, "Unsupported parameter: 'reasoning.effort' is not supported with this model.", 'invalid_request_error', 'reasoning.effort', 'unsupported_parameter');
    }
    return { effort: null, summary: null };
  }
  return { effort: (effort as string | null) ?? 'medium', summary: summary as string | null };
}

function readFormat(body: Record<string, unknown>): SimError | { format: Record<string, unknown> } {
  const format = asRecord(asRecord(body.text).format);
  if (format.type === undefined) return { format: { type: 'text' } };
  if (format.type === 'json_schema') {
    if (typeof format.name !== 'string') return openaiMissing('text.format.name');
    if (format.schema === undefined) return openaiMissing('text.format.schema');
  } else if (format.type !== 'text' && format.type !== 'json_object') {
    return openaiInvalidValue('text.format.type', format.type, ['text', 'json_schema', 'json_object']);
  }
  return { format };
}

export function readResponsesRequest(model: string | undefined, json: unknown): SimError | ResponsesRequest {
  if (!model) return openaiMissing('model');
  if (model.includes('nonexistent')) {
    return openaiError(400, `The requested model '${model}' does not exist.`, 'invalid_request_error', 'model', 'model_not_found');
  }
  const body = asRecord(json);
  for (const [name, moved] of Object.entries(MOVED)) {
    if (body[name] !== undefined) {
      return openaiError(400, `Unsupported parameter: '${name}'. In the Responses API, this parameter has moved to '${moved}'. Try again with the new parameter. See the API documentation for more information: https://platform.openai.com/docs/api-reference/responses/create.`, 'invalid_request_error', name, 'unsupported_parameter');
    }
  }
  for (const name of UNKNOWN) {
    if (body[name] !== undefined) return openaiError(400, `Unknown parameter: '${name}'.`, 'invalid_request_error', name, 'unknown_parameter');
  }
  const instructions = typeof body.instructions === 'string' ? body.instructions : null;
  const walk: Walk = { tokens: 0, lastTokens: 0, lastUserText: '' };
  const input = body.input;
  let items: unknown[] = [];
  if (typeof input === 'string') {
    items = [{ role: 'user', content: input }];
  } else if (Array.isArray(input)) {
    items = input;
  } else if (input === undefined || input === null) {
    if (instructions === null && body.previous_response_id === undefined && body.prompt === undefined) return openaiMissing('input');
  } else {
    return openaiError(400, `Invalid type for 'input': expected one of a string or array of input items, but got ${typeof input} instead.`, 'invalid_request_error', 'input', 'invalid_type');
  }
  // With server-side history (previous_response_id, conversation) the other half of a pair may live there.
  const paired = body.previous_response_id === undefined && body.conversation === undefined;
  const walked = readItems(items, paired, walk);
  if (walked) return walked;
  const tools = readTools(body);
  if (isSimError(tools)) return tools;
  const max = body.max_output_tokens;
  if (max !== undefined && max !== null) {
    if (typeof max !== 'number' || !Number.isInteger(max)) {
      return openaiError(400, `Invalid type for 'max_output_tokens': expected an integer, but got ${typeof max} instead.`, 'invalid_request_error', 'max_output_tokens', 'invalid_type');
    }
    if (max < MIN_OUTPUT_TOKENS) {
      return openaiError(400, `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= ${MIN_OUTPUT_TOKENS}, but got ${max} instead.`, 'invalid_request_error', 'max_output_tokens', 'integer_below_min_value');
    }
  }
  const reasoningModel = REASONING_MODEL.test(model);
  const reasoning = readReasoning(body, reasoningModel);
  if (isSimError(reasoning)) return reasoning;
  const format = readFormat(body);
  if (isSimError(format)) return format;

  const toolsText = tools.tools.length > 0 ? JSON.stringify(tools.tools) : '';
  const fixed = countTokens(instructions ?? '') + countTokens(toolsText) + 3;
  const inputTokens = walk.tokens + fixed;
  const prefixTokens = items.length > 1 ? inputTokens - walk.lastTokens : inputTokens;
  const prefixItems = items.length > 1 ? items.slice(0, -1) : items;
  const last = asRecord(items[items.length - 1]);
  const include = Array.isArray(body.include) ? body.include : [];
  return {
    model,
    body,
    instructions,
    lastUserText: walk.lastUserText,
    afterToolOutput: last.type === 'function_call_output',
    inputTokens,
    prefixTokens,
    prefixKey: () => `responses|${model}|${toolsText}|${instructions ?? ''}|${JSON.stringify(prefixItems)}`,
    functionTools: tools.functions,
    tools: tools.tools,
    toolChoice: body.tool_choice ?? 'auto',
    maxOutputTokens: typeof max === 'number' ? max : undefined,
    reasoningModel,
    effort: reasoning.effort,
    summary: reasoning.summary,
    format: format.format,
    stream: body.stream === true,
    includeEncryptedReasoning: include.includes('reasoning.encrypted_content'),
  };
}
