import type { FinishReason } from '../../canonical/types.js';

/** Anthropic stop_reason → the hub's finish reason. */
export function finishFromStopReason(stopReason: unknown): FinishReason {
  switch (stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'other';
  }
}

/**
 * The hub's finish reason → Anthropic stop_reason. Some upstreams (Gemini) say
 * STOP after a function call; Anthropic SDK tool loops need `tool_use` then.
 */
export function stopReasonFromFinish(reason: FinishReason | undefined, hasToolCalls: boolean): string {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return hasToolCalls ? 'tool_use' : 'end_turn';
  }
}
