// An upstream Responses SSE stream → canonical events. Deltas pass on as they
// come; `output_item.done` fills in what a terse upstream never streamed (a
// message sent whole, arguments without deltas) and carries the reasoning's
// encrypted_content, which becomes the thinking signature.
import type { StreamDecoder } from '../../canonical/codec.js';
import { SseParser, type SseFrame } from '../../canonical/sse.js';
import type { StreamEvent } from '../../canonical/types.js';
import { isObject, type JsonObject } from './json-read.js';
import { sniffImageMime } from './media.js';
import { failedError, reasoningText } from './response-decode.js';
import { decodeFinish, statusForErrorCode } from './status-map.js';
import { decodeResponsesUsage } from './usage-map.js';

interface CallState {
  callIndex: number;
  argsSent: boolean;
}

/** Items are keyed by output_index, which every item event carries (item ids can be missing on compatible servers). */
function itemKey(data: JsonObject): string {
  if (typeof data.output_index === 'number') return `#${data.output_index}`;
  const item = isObject(data.item) ? data.item : {};
  return String(data.item_id ?? item.id ?? '');
}

export class ResponsesStreamDecoder implements StreamDecoder {
  private readonly sse = new SseParser();
  /** A terminal event (completed, incomplete, failed, error) arrived: the rest is ignored. */
  private done = false;
  private nextCallIndex = 0;
  private readonly calls = new Map<string, CallState>();
  /** Items whose text came as deltas, so their done form must not repeat it. */
  private readonly streamed = new Set<string>();

  push(chunk: Buffer): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const frame of this.sse.push(chunk)) this.frame(frame, out);
    return out;
  }

  end(): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const frame of this.sse.end()) this.frame(frame, out);
    if (!this.done) {
      this.done = true;
      out.push({ type: 'error', status: 502, message: 'The upstream stream ended before response.completed.' });
    }
    return out;
  }

  private frame(frame: SseFrame, out: StreamEvent[]): void {
    if (this.done || frame.data === '[DONE]') return;
    let data: unknown;
    try {
      data = JSON.parse(frame.data);
    } catch {
      this.done = true;
      out.push({ type: 'error', status: 502, message: 'The upstream sent a stream event that is not JSON.' });
      return;
    }
    if (!isObject(data)) return;
    this.event(typeof data.type === 'string' ? data.type : (frame.event ?? ''), data, out);
  }

  private event(type: string, data: JsonObject, out: StreamEvent[]): void {
    switch (type) {
      case 'response.created': {
        const r = isObject(data.response) ? data.response : {};
        out.push({
          type: 'start',
          id: typeof r.id === 'string' ? r.id : '',
          model: typeof r.model === 'string' ? r.model : '',
          created: typeof r.created_at === 'number' ? r.created_at : 0,
        });
        return;
      }
      case 'response.output_item.added':
        if (isObject(data.item) && data.item.type === 'function_call') this.startCall(itemKey(data), data.item, out);
        return;
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        return this.delta('text', data, out);
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return this.delta('thinking', data, out);
      case 'response.reasoning_summary_part.added':
        // Summary parts are paragraphs: joined as the whole-response decoder joins them.
        if (typeof data.summary_index === 'number' && data.summary_index > 0) out.push({ type: 'thinking', text: '\n\n' });
        return;
      case 'response.function_call_arguments.delta': {
        const call = this.calls.get(itemKey(data));
        if (call && typeof data.delta === 'string' && data.delta !== '') {
          call.argsSent = true;
          out.push({ type: 'tool_call_delta', callIndex: call.callIndex, argumentsDelta: data.delta });
        }
        return;
      }
      case 'response.function_call_arguments.done':
        return this.fillArguments(this.calls.get(itemKey(data)), data.arguments, out);
      case 'response.output_item.done':
        if (isObject(data.item)) this.itemDone(itemKey(data), data.item, out);
        return;
      case 'response.completed':
      case 'response.incomplete':
        return this.finish(type, data, out);
      case 'response.failed': {
        const r = isObject(data.response) ? data.response : {};
        const err = failedError(r.error);
        this.done = true;
        out.push({ type: 'error', status: err.status, message: err.message });
        return;
      }
      case 'error': {
        // OpenAI nests the details in `error`; the SDK's types name them flat.
        const e = isObject(data.error) ? data.error : data;
        this.done = true;
        out.push({ type: 'error', status: statusForErrorCode(e.code), message: typeof e.message === 'string' ? e.message : 'The upstream reported an error.' });
        return;
      }
      default:
        return;
    }
  }

  private delta(kind: 'text' | 'thinking', data: JsonObject, out: StreamEvent[]): void {
    if (typeof data.delta !== 'string') return;
    this.streamed.add(itemKey(data));
    if (data.delta !== '') out.push({ type: kind, text: data.delta });
  }

  private startCall(key: string, item: JsonObject, out: StreamEvent[]): CallState | undefined {
    if (typeof item.call_id !== 'string' || typeof item.name !== 'string') return undefined;
    const call: CallState = { callIndex: this.nextCallIndex++, argsSent: false };
    this.calls.set(key, call);
    out.push({ type: 'tool_call_start', callIndex: call.callIndex, id: item.call_id, name: item.name });
    if (typeof item.arguments === 'string' && item.arguments !== '') {
      call.argsSent = true;
      out.push({ type: 'tool_call_delta', callIndex: call.callIndex, argumentsDelta: item.arguments });
    }
    return call;
  }

  /** Arguments that arrived whole, never as deltas. */
  private fillArguments(call: CallState | undefined, args: unknown, out: StreamEvent[]): void {
    if (!call || call.argsSent || typeof args !== 'string' || args === '') return;
    call.argsSent = true;
    out.push({ type: 'tool_call_delta', callIndex: call.callIndex, argumentsDelta: args });
  }

  private itemDone(key: string, item: JsonObject, out: StreamEvent[]): void {
    switch (item.type) {
      case 'message':
        if (this.streamed.has(key) || !Array.isArray(item.content)) return;
        for (const c of item.content) {
          if (!isObject(c)) continue;
          const text = c.type === 'output_text' ? c.text : c.type === 'refusal' ? c.refusal : undefined;
          if (typeof text === 'string' && text !== '') out.push({ type: 'text', text });
        }
        return;
      case 'reasoning': {
        if (!this.streamed.has(key)) {
          const text = reasoningText(item);
          if (text !== '') out.push({ type: 'thinking', text });
        }
        if (typeof item.encrypted_content === 'string' && item.encrypted_content !== '') out.push({ type: 'thinking_signature', signature: item.encrypted_content });
        return;
      }
      case 'function_call':
        return this.fillArguments(this.calls.get(key) ?? this.startCall(key, item, out), item.arguments, out);
      case 'image_generation_call':
        if (typeof item.result === 'string' && item.result !== '') out.push({ type: 'image', mimeType: sniffImageMime(item.result), data: item.result });
        return;
      default:
        return;
    }
  }

  private finish(type: string, data: JsonObject, out: StreamEvent[]): void {
    this.done = true;
    const r = isObject(data.response) ? data.response : {};
    const usage = decodeResponsesUsage(r.usage);
    if (usage) out.push({ type: 'usage', usage });
    const status = r.status ?? (type === 'response.incomplete' ? 'incomplete' : 'completed');
    out.push({ type: 'finish', reason: decodeFinish(status, r.incomplete_details, this.nextCallIndex > 0) });
  }
}
