// An upstream's whole Response → canonical. Output items map in order; items
// only OpenAI can act on (web search calls and the like) carry nothing to pass on.
import type { CanonicalResponse, Part } from '../../canonical/types.js';
import { GatewayError, kindForStatus } from '../../errors.js';
import { isObject, type JsonObject } from './json-read.js';
import { sniffImageMime } from './media.js';
import { decodeFinish, statusForErrorCode } from './status-map.js';
import { decodeResponsesUsage } from './usage-map.js';

function bad(message: string): GatewayError {
  return new GatewayError('upstream', `The upstream's Responses answer is malformed: ${message}`);
}

export function decodeResponsesResponse(json: Record<string, unknown>): CanonicalResponse {
  if (!isObject(json)) throw bad('not a JSON object');
  if (json.status === 'failed') throw failedError(json.error);
  if (!Array.isArray(json.output)) throw bad('`output` is not an array');
  const parts: Part[] = [];
  let hasToolCalls = false;
  json.output.forEach((raw, i) => {
    if (!isObject(raw)) throw bad(`output[${i}] is not an object`);
    if (raw.type === 'function_call') hasToolCalls = true;
    decodeOutputItem(raw, i, parts);
  });
  const usage = decodeResponsesUsage(json.usage);
  return {
    id: typeof json.id === 'string' ? json.id : '',
    model: typeof json.model === 'string' ? json.model : '',
    created: typeof json.created_at === 'number' ? json.created_at : 0,
    choices: [{ index: 0, parts, finishReason: decodeFinish(json.status, json.incomplete_details, hasToolCalls) }],
    ...(usage && { usage }),
  };
}

/** A failed response names its error; the client gets it as an error, with the status the code stands for. */
export function failedError(error: unknown): GatewayError {
  const e = isObject(error) ? error : {};
  const status = statusForErrorCode(e.code);
  const message = typeof e.message === 'string' ? e.message : 'The upstream response failed.';
  return new GatewayError(kindForStatus(status), message, { status, ...(typeof e.code === 'string' && { code: e.code }) });
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw bad(`${what} is not a string`);
  return v;
}

function decodeOutputItem(item: JsonObject, i: number, parts: Part[]): void {
  switch (item.type) {
    case 'message': {
      if (!Array.isArray(item.content)) throw bad(`output[${i}].content is not an array`);
      for (const c of item.content) {
        if (!isObject(c)) continue;
        const text = c.type === 'output_text' ? str(c.text, `output[${i}] text`) : c.type === 'refusal' ? str(c.refusal, `output[${i}] refusal`) : '';
        if (text !== '') parts.push({ type: 'text', text });
      }
      return;
    }
    case 'reasoning': {
      const text = reasoningText(item);
      const signature = typeof item.encrypted_content === 'string' ? item.encrypted_content : undefined;
      if (text !== '' || signature !== undefined) parts.push({ type: 'thinking', text, ...(signature !== undefined && { signature }) });
      return;
    }
    case 'function_call':
      parts.push({
        type: 'tool_call',
        id: str(item.call_id, `output[${i}].call_id`),
        name: str(item.name, `output[${i}].name`),
        arguments: typeof item.arguments === 'string' ? item.arguments : '',
      });
      return;
    case 'image_generation_call':
      if (typeof item.result === 'string' && item.result !== '') parts.push({ type: 'image', mimeType: sniffImageMime(item.result), data: item.result });
      return;
    default:
      return;
  }
}

/** Summaries joined as paragraphs; open-weight models behind the API send reasoning_text content instead. */
export function reasoningText(item: JsonObject): string {
  const pick = (list: unknown): string[] => (Array.isArray(list) ? list.flatMap((s) => (isObject(s) && typeof s.text === 'string' ? [s.text] : [])) : []);
  const summary = pick(item.summary);
  return (summary.length > 0 ? summary : pick(item.content)).join('\n\n');
}
