// The canonical response → the whole Anthropic answer a client reads.
import type { EncodeResponseOptions } from '../../canonical/codec.js';
import type { CanonicalResponse } from '../../canonical/types.js';
import { messageIdFrom } from './ids.js';
import { outputBlock, type Block } from './output-blocks.js';
import { stopReasonFromFinish } from './stop-reason.js';
import { toAnthropicUsage } from './usage-map.js';

export function encodeAnthropicResponse(res: CanonicalResponse, opts: EncodeResponseOptions): Record<string, unknown> {
  // Claude answers with one message: only choice 0 is shown.
  const choice = res.choices.find((c) => c.index === 0) ?? res.choices[0];
  const content: Block[] = [];
  let hasToolCalls = false;
  for (const part of choice?.parts ?? []) {
    const block = outputBlock(part);
    if (block === undefined) continue;
    if (block.type === 'tool_use') hasToolCalls = true;
    content.push(block);
  }
  return {
    id: messageIdFrom(res.id),
    type: 'message',
    role: 'assistant',
    model: opts.model,
    content,
    stop_reason: stopReasonFromFinish(choice?.finishReason, hasToolCalls),
    stop_sequence: null,
    usage: toAnthropicUsage(res.usage),
  };
}
