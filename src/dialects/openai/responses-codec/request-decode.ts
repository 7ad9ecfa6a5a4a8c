// A client's Responses request (`POST /v1/responses`) → canonical. Everything
// that needs OpenAI's own storage (previous_response_id, conversations, stored
// prompts, background runs) is refused: other providers cannot honour it.
import type { DecodeRequestOptions } from '../../canonical/codec.js';
import type { CanonicalRequest, Part, ReasoningEffort, ReasoningOptions, ResponseFormat } from '../../canonical/types.js';
import { decodeInput } from './input-decode.js';
import { badValue, invalid, isObject, missing, objectAt, optBoolean, optEnum, optInteger, optNumber, optObject, optString } from './json-read.js';
import { decodeToolChoice, decodeTools } from './tools-decode.js';

export function decodeResponsesRequest(json: Record<string, unknown>, opts: DecodeRequestOptions): CanonicalRequest {
  if (!isObject(json)) throw invalid('', 'The request body must be a JSON object.');
  refuseStoredState(json);
  const model = optString(json.model, 'model') ?? opts.pathModel;
  if (!model) throw missing('model');
  if (json.input === undefined || json.input === null) throw missing('input');

  const system: Part[] = [];
  const instructions = optString(json.instructions, 'instructions');
  if (instructions) system.push({ type: 'text', text: instructions });
  const messages = decodeInput(json.input, system);

  const req: CanonicalRequest = { model, system, messages, stream: optBoolean(json.stream, 'stream') ?? false };
  const tools = decodeTools(json.tools);
  if (tools && tools.length > 0) req.tools = tools;
  const toolChoice = decodeToolChoice(json.tool_choice);
  if (toolChoice !== undefined) req.toolChoice = toolChoice;
  const parallel = optBoolean(json.parallel_tool_calls, 'parallel_tool_calls');
  if (parallel !== undefined) req.parallelToolCalls = parallel;
  const maxOutputTokens = optInteger(json.max_output_tokens, 'max_output_tokens', 1);
  if (maxOutputTokens !== undefined) req.maxOutputTokens = maxOutputTokens;
  const temperature = optNumber(json.temperature, 'temperature');
  if (temperature !== undefined) req.temperature = temperature;
  const topP = optNumber(json.top_p, 'top_p');
  if (topP !== undefined) req.topP = topP;
  const responseFormat = decodeTextFormat(json.text);
  if (responseFormat) req.responseFormat = responseFormat;
  const reasoning = decodeReasoning(json.reasoning);
  if (reasoning) req.reasoning = reasoning;
  const user = optString(json.user, 'user') ?? optString(json.safety_identifier, 'safety_identifier');
  if (user !== undefined) req.user = user;
  return req;
}

function refuseStoredState(json: Record<string, unknown>): void {
  if (json.previous_response_id !== undefined && json.previous_response_id !== null) {
    throw invalid('previous_response_id', 'previous_response_id needs an OpenAI channel; send the full input instead');
  }
  if (json.conversation !== undefined && json.conversation !== null) {
    throw invalid('conversation', 'conversation needs an OpenAI channel; send the full input instead');
  }
  if (json.prompt !== undefined && json.prompt !== null) {
    throw invalid('prompt', 'Stored prompts need an OpenAI channel; send instructions and input instead');
  }
  if (json.background === true) {
    throw invalid('background', 'Background responses need an OpenAI channel; use stream or a plain request instead');
  }
}

const formatTypes = ['text', 'json_object', 'json_schema'] as const;

function decodeTextFormat(raw: unknown): ResponseFormat | undefined {
  const text = optObject(raw, 'text');
  const format = text && optObject(text.format, 'text.format');
  if (!format) return undefined;
  switch (format.type) {
    case 'text':
      return { type: 'text' };
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema': {
      const schema = objectAt(format.schema, 'text.format.schema');
      const name = optString(format.name, 'text.format.name');
      const description = optString(format.description, 'text.format.description');
      const strict = optBoolean(format.strict, 'text.format.strict');
      return {
        type: 'json_schema',
        schema,
        ...(name !== undefined && { name }),
        ...(description !== undefined && { description }),
        ...(strict !== undefined && { strict }),
      };
    }
    default:
      if (format.type === undefined) throw missing('text.format.type');
      throw badValue('text.format.type', format.type, formatTypes);
  }
}

const efforts = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
const summaries = ['auto', 'concise', 'detailed'] as const;

function decodeReasoning(raw: unknown): ReasoningOptions | undefined {
  const r = optObject(raw, 'reasoning');
  if (!r) return undefined;
  const effort = optEnum(r.effort, 'reasoning.effort', efforts);
  // generate_summary is the older name of summary.
  const summary = optEnum(r.summary, 'reasoning.summary', summaries) ?? optEnum(r.generate_summary, 'reasoning.generate_summary', summaries);
  const out: ReasoningOptions = {};
  // The hub's scale tops out at high; OpenAI's newer xhigh/max mean "as much as possible".
  if (effort !== undefined) out.effort = (effort === 'xhigh' || effort === 'max' ? 'high' : effort) satisfies ReasoningEffort;
  if (summary !== undefined) out.includeThoughts = true;
  return effort === undefined && summary === undefined ? undefined : out;
}
