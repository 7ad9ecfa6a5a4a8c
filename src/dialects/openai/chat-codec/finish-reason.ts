import type { FinishReason } from '../../canonical/types.js';

/** OpenAI `finish_reason` → canonical; null (still running) is handled by callers. */
export function decodeFinishReason(reason: unknown): FinishReason {
  switch (reason) {
    case 'stop':
    case undefined:
    case null:
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool_calls';
    case 'content_filter':
      return 'content_filter';
    case 'error':
      return 'error';
    default:
      return 'other';
  }
}

/**
 * Canonical → OpenAI. Clients loop on `tool_calls`, and some upstreams (Gemini)
 * say STOP after a function call, so a choice holding calls reports `tool_calls`.
 */
export function encodeFinishReason(reason: FinishReason, hasToolCalls: boolean): string {
  if (hasToolCalls && (reason === 'stop' || reason === 'other')) return 'tool_calls';
  switch (reason) {
    case 'length':
      return 'length';
    case 'tool_calls':
      return hasToolCalls ? 'tool_calls' : 'stop';
    case 'content_filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}
