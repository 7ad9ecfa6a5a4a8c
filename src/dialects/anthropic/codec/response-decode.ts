// An upstream's whole Anthropic answer → the canonical response.
import type { CanonicalResponse, Part } from '../../canonical/types.js';
import { GatewayError, kindForStatus } from '../../errors.js';
import { statusForErrorType } from './error-status.js';
import { isRecord } from './json-read.js';
import { finishFromStopReason } from './stop-reason.js';
import { readAnthropicCounts, toCanonicalUsage, withThinkingEstimate } from './usage-map.js';

function badAnswer(detail: string): GatewayError {
  return new GatewayError('upstream', `The Anthropic upstream sent an unreadable answer: ${detail}`);
}

export function decodeAnthropicResponse(json: Record<string, unknown>): CanonicalResponse {
  if (!isRecord(json)) throw badAnswer('not a JSON object');
  if (json.type === 'error') throw upstreamError(json.error);
  if (!Array.isArray(json.content)) throw badAnswer('no content list');
  const parts: Part[] = [];
  for (const block of json.content) {
    const part = decodeOutputBlock(block);
    if (part !== undefined) parts.push(part);
  }
  const res: CanonicalResponse = {
    id: typeof json.id === 'string' ? json.id : '',
    model: typeof json.model === 'string' ? json.model : '',
    created: Math.floor(Date.now() / 1000),
    choices: [{ index: 0, parts, finishReason: finishFromStopReason(json.stop_reason) }],
  };
  if (isRecord(json.usage)) res.usage = toCanonicalUsage(withThinkingEstimate(readAnthropicCounts(json.usage), thinkingChars(parts)));
  return res;
}

function thinkingChars(parts: Part[]): number {
  let chars = 0;
  for (const p of parts) if (p.type === 'thinking') chars += p.text.length;
  return chars;
}

/** One output block → a part; server-tool blocks have no canonical form and are left out. */
export function decodeOutputBlock(block: unknown): Part | undefined {
  if (!isRecord(block)) throw badAnswer('a content block is not an object');
  switch (block.type) {
    case 'text':
      return { type: 'text', text: stringField(block.text, 'text') };
    case 'thinking': {
      const signature = typeof block.signature === 'string' && block.signature !== '' ? { signature: block.signature } : {};
      return { type: 'thinking', text: stringField(block.thinking, 'thinking'), ...signature };
    }
    case 'redacted_thinking':
      return { type: 'thinking', text: '', redacted: stringField(block.data, 'redacted_thinking data') };
    case 'tool_use':
      return {
        type: 'tool_call',
        id: stringField(block.id, 'tool_use id'),
        name: stringField(block.name, 'tool_use name'),
        arguments: JSON.stringify(block.input ?? {}),
      };
    case 'image':
      return decodeImageBlock(block.source);
    default:
      return undefined;
  }
}

function decodeImageBlock(source: unknown): Part | undefined {
  if (!isRecord(source)) return undefined;
  if (source.type === 'base64' && typeof source.data === 'string') {
    return { type: 'image', mimeType: typeof source.media_type === 'string' ? source.media_type : 'image/png', data: source.data };
  }
  if (source.type === 'url' && typeof source.url === 'string') return { type: 'image', mimeType: 'image/png', url: source.url };
  return undefined;
}

function stringField(v: unknown, what: string): string {
  if (typeof v !== 'string') throw badAnswer(`${what} is not a string`);
  return v;
}

/** `{"type":"error","error":{type,message}}` → the matching GatewayError. */
export function upstreamError(error: unknown): GatewayError {
  const e = isRecord(error) ? error : {};
  const status = statusForErrorType(e.type);
  const message = typeof e.message === 'string' ? e.message : 'The Anthropic upstream reported an error';
  return new GatewayError(kindForStatus(status), message, { status });
}
