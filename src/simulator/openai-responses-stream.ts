// The Responses API event stream for a planned response, as OpenAI sends it:
// every frame has an `event:` line and a `sequence_number`; response.created
// and response.in_progress, then per output item output_item.added … done
// (reasoning summary parts, message content parts with output_text deltas,
// function_call_arguments deltas), then response.completed — or
// response.incomplete when max_output_tokens cut it. No `[DONE]`.

import { asRecord } from './context.js';
import { itemJson, outputText, responseJson, type PlannedItem, type ResponsePlan } from './openai-responses-shape.js';
import type { Reply } from './reply.js';
import { chunkText, hashString, seededRandom } from './text.js';

type Send = (type: string, data: Record<string, unknown>) => boolean;

const PAD = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** OpenAI pads deltas with random characters so their sizes do not leak the text. */
function obfuscation(delta: string): string {
  const rand = seededRandom(hashString(delta));
  const length = Math.max(2, 16 - delta.length);
  let out = '';
  for (let i = 0; i < length; i++) out += PAD[Math.floor(rand() * PAD.length)];
  return out;
}

export function streamResponse(reply: Reply, plan: ResponsePlan, headers: Record<string, string>): void {
  reply.open(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', ...headers });
  let sequence = 0;
  const send: Send = (type, data) => reply.event(`event: ${type}\ndata: ${JSON.stringify({ type, ...data, sequence_number: sequence++ })}\n\n`);
  const obfuscate = asRecord(plan.req.body.stream_options).include_obfuscation !== false;
  const pad = (delta: string): Record<string, string> => (obfuscate ? { obfuscation: obfuscation(delta) } : {});

  if (!send('response.created', { response: responseJson(plan, 'in_progress') })) return;
  if (!send('response.in_progress', { response: responseJson(plan, 'in_progress') })) return;
  for (let index = 0; index < plan.items.length; index++) {
    if (!streamItem(send, index, plan.items[index] as PlannedItem, pad)) return;
  }
  const last = plan.status === 'completed' ? 'response.completed' : 'response.incomplete';
  if (send(last, { response: responseJson(plan, 'final') })) reply.end();
}

function streamItem(send: Send, output_index: number, item: PlannedItem, pad: (delta: string) => Record<string, string>): boolean {
  const item_id = item.id;
  if (item.kind === 'reasoning') {
    if (!send('response.output_item.added', { output_index, item: { id: item_id, type: 'reasoning', summary: [] } })) return false;
    if (item.summary !== null) {
      const at = { item_id, output_index, summary_index: 0 };
      if (!send('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } })) return false;
      for (const delta of chunkText(item.summary, 12)) {
        if (!send('response.reasoning_summary_text.delta', { ...at, delta, ...pad(delta) })) return false;
      }
      if (!send('response.reasoning_summary_text.done', { ...at, text: item.summary })) return false;
      if (!send('response.reasoning_summary_part.done', { ...at, part: { type: 'summary_text', text: item.summary } })) return false;
    }
  } else if (item.kind === 'message') {
    const added = { id: item_id, type: 'message', status: 'in_progress', content: [], role: 'assistant' };
    if (!send('response.output_item.added', { output_index, item: added })) return false;
    const at = { item_id, output_index, content_index: 0 };
    if (!send('response.content_part.added', { ...at, part: outputText('') })) return false;
    for (const delta of chunkText(item.text, 4)) {
      if (!send('response.output_text.delta', { ...at, delta, logprobs: [], ...pad(delta) })) return false;
    }
    if (!send('response.output_text.done', { ...at, text: item.text, logprobs: [] })) return false;
    if (!send('response.content_part.done', { ...at, part: outputText(item.text) })) return false;
  } else {
    const added = { id: item_id, type: 'function_call', status: 'in_progress', arguments: '', call_id: item.callId, name: item.name };
    if (!send('response.output_item.added', { output_index, item: added })) return false;
    for (const delta of chunkText(item.arguments, 6)) {
      if (!send('response.function_call_arguments.delta', { item_id, output_index, delta, ...pad(delta) })) return false;
    }
    if (!send('response.function_call_arguments.done', { item_id, output_index, name: item.name, arguments: item.arguments })) return false;
  }
  return send('response.output_item.done', { output_index, item: itemJson(item) });
}
