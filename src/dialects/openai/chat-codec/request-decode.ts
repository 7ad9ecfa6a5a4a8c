// A client's POST /v1/chat/completions body → canonical request, refusing what
// OpenAI would refuse, in OpenAI's words.
import type { DecodeRequestOptions } from '../../canonical/codec.js';
import type { CanonicalRequest } from '../../canonical/types.js';
import { GatewayError } from '../../errors.js';
import { decodeMessages } from './message-decode.js';
import { decodeImageOptions, decodeModalities, decodeReasoning, decodeResponseFormat } from './options-decode.js';
import { decodeTools } from './tools-decode.js';
import { given, invalidType, isRecord, optionalBoolean, optionalNumber, optionalString, stringAt, type Json } from './wire-guards.js';

export function decodeChatRequest(json: Json, _opts?: DecodeRequestOptions): CanonicalRequest {
  if (!isRecord(json)) throw new GatewayError('invalid_request', 'The request body must be a JSON object.');
  if (typeof json.model !== 'string' || json.model === '') {
    throw new GatewayError('invalid_request', 'you must provide a model parameter', { param: 'model' });
  }
  const { system, messages } = decodeMessages(json.messages);
  const req: CanonicalRequest = { model: json.model, system, messages, stream: optionalBoolean(json.stream, 'stream') ?? false };

  const { tools, toolChoice, parallelToolCalls } = decodeTools(json);
  if (tools) req.tools = tools;
  if (toolChoice !== undefined) req.toolChoice = toolChoice;
  if (parallelToolCalls !== undefined) req.parallelToolCalls = parallelToolCalls;

  const maxParam = given(json.max_completion_tokens) ? 'max_completion_tokens' : 'max_tokens';
  set(req, 'maxOutputTokens', optionalNumber(json[maxParam], maxParam, { integer: true, min: 1 }));
  set(req, 'temperature', optionalNumber(json.temperature, 'temperature', { min: 0, max: 2 }));
  set(req, 'topP', optionalNumber(json.top_p, 'top_p', { min: 0, max: 1 }));
  // Not OpenAI's, but many compatible servers take it.
  set(req, 'topK', optionalNumber(json.top_k, 'top_k', { integer: true, min: 0 }));
  set(req, 'stop', decodeStop(json.stop));
  set(req, 'n', optionalNumber(json.n, 'n', { integer: true, min: 1, max: 128 }));
  set(req, 'seed', optionalNumber(json.seed, 'seed', { integer: true }));
  set(req, 'presencePenalty', optionalNumber(json.presence_penalty, 'presence_penalty', { min: -2, max: 2 }));
  set(req, 'frequencyPenalty', optionalNumber(json.frequency_penalty, 'frequency_penalty', { min: -2, max: 2 }));
  set(req, 'responseFormat', decodeResponseFormat(json.response_format));
  set(req, 'reasoning', decodeReasoning(json));
  set(req, 'modalities', decodeModalities(json.modalities));
  set(req, 'image', decodeImageOptions(json));
  set(req, 'user', optionalString(json.user, 'user'));
  return req;
}

/** Only defined values land on the request, so decoded requests compare cleanly. */
function set<K extends keyof CanonicalRequest>(req: CanonicalRequest, key: K, value: CanonicalRequest[K] | undefined): void {
  if (value !== undefined) req[key] = value;
}

function decodeStop(raw: unknown): string[] | undefined {
  if (!given(raw)) return undefined;
  if (typeof raw === 'string') return [raw];
  if (!Array.isArray(raw)) throw invalidType('stop', 'one of a string or array of strings', raw);
  raw.forEach((s, i) => stringAt(s, `stop[${i}]`));
  return raw.length > 0 ? (raw as string[]) : undefined;
}
