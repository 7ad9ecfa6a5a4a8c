// Anthropic's streaming event sequence for a planned message: message_start,
// per block content_block_start / *_delta / content_block_stop (a ping after
// the first start), message_delta with the final usage, message_stop. Every
// event carries its `event:` line; the SDK ignores data-only events.

import type { Reply } from './reply.js';
import { chunkText } from './text.js';

export type Block =
  | { type: 'text'; text: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown };

export interface MessagePlan {
  id: string;
  model: string;
  blocks: Block[];
  stopReason: string;
  usage: {
    input_tokens: number;
    cache_creation_input_tokens: number;
    cache_read_input_tokens: number;
    output_tokens: number;
  };
}

function frame(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function streamMessage(reply: Reply, plan: MessagePlan, headers: Record<string, string>): void {
  reply.open(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  const send = (type: string, data: Record<string, unknown>) => reply.event(frame(type, { type, ...data }));
  const ok = send('message_start', {
    message: {
      id: plan.id,
      type: 'message',
      role: 'assistant',
      model: plan.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { ...plan.usage, output_tokens: 1, service_tier: 'standard' },
    },
  });
  if (!ok) return;
  for (let index = 0; index < plan.blocks.length; index++) {
    if (!streamBlock(send, index, plan.blocks[index] as Block)) return;
  }
  if (!send('message_delta', { delta: { stop_reason: plan.stopReason, stop_sequence: null }, usage: plan.usage })) return;
  if (send('message_stop', {})) reply.end();
}

type Send = (type: string, data: Record<string, unknown>) => boolean;

function streamBlock(send: Send, index: number, block: Block): boolean {
  const delta = (d: Record<string, unknown>) => send('content_block_delta', { index, delta: d });
  // Anthropic sends a ping right after the first block opens.
  const start = (contentBlock: unknown) =>
    send('content_block_start', { index, content_block: contentBlock }) && (index > 0 || send('ping', {}));
  if (block.type === 'text') {
    if (!start({ type: 'text', text: '' })) return false;
    for (const piece of chunkText(block.text, 4)) if (!delta({ type: 'text_delta', text: piece })) return false;
  } else if (block.type === 'thinking') {
    if (!start({ type: 'thinking', thinking: '', signature: '' })) return false;
    for (const piece of chunkText(block.thinking, 12)) if (!delta({ type: 'thinking_delta', thinking: piece })) return false;
    if (!delta({ type: 'signature_delta', signature: block.signature })) return false;
  } else {
    if (!start({ type: 'tool_use', id: block.id, name: block.name, input: {} })) return false;
    if (!delta({ type: 'input_json_delta', partial_json: '' })) return false;
    for (const piece of chunkText(JSON.stringify(block.input), 8)) {
      if (!delta({ type: 'input_json_delta', partial_json: piece })) return false;
    }
  }
  return send('content_block_stop', { index });
}
