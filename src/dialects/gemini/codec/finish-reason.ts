// Gemini finishReason ↔ the hub's FinishReason.
import type { FinishReason } from '../../canonical/types.js';

const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/** A candidate's finishReason; a candidate that holds a function call finished to call tools. */
export function decodeFinishReason(reason: unknown, hasToolCall: boolean): FinishReason {
  if (hasToolCall) return 'tool_calls';
  if (reason === undefined || reason === null || reason === 'STOP') return 'stop';
  if (reason === 'MAX_TOKENS') return 'length';
  if (typeof reason === 'string' && FILTERED.has(reason)) return 'content_filter';
  return 'other';
}

export function encodeFinishReason(reason: FinishReason): string {
  switch (reason) {
    case 'stop':
    case 'tool_calls':
      return 'STOP';
    case 'length':
      return 'MAX_TOKENS';
    case 'content_filter':
      return 'SAFETY';
    default:
      return 'OTHER';
  }
}
