// An upstream's Anthropic SSE stream → canonical stream events.
import type { StreamDecoder } from '../../canonical/codec.js';
import { SseParser, type SseFrame } from '../../canonical/sse.js';
import type { StreamEvent } from '../../canonical/types.js';
import { statusForErrorType } from './error-status.js';
import { isRecord, type Json } from './json-read.js';
import { decodeOutputBlock } from './response-decode.js';
import { finishFromStopReason } from './stop-reason.js';
import { emptyAnthropicCounts, mergeAnthropicCounts, readAnthropicCounts, toCanonicalUsage, withThinkingEstimate } from './usage-map.js';

/** What an open content block index stands for. */
type BlockState = { kind: 'tool_use'; callIndex: number; sawArguments: boolean } | { kind: 'other' };

export class AnthropicStreamDecoder implements StreamDecoder {
  private readonly sse = new SseParser();
  private readonly blocks = new Map<number, BlockState>();
  private nextCallIndex = 0;
  private counts = emptyAnthropicCounts();
  /** Visible thinking so far, for a reasoning-token estimate when the upstream gives none. */
  private thinkingChars = 0;
  /** After garbage the rest of the stream cannot be trusted: one error event, then silence. */
  private broken = false;

  push(chunk: Buffer): StreamEvent[] {
    return this.decodeFrames(this.sse.push(chunk));
  }

  end(): StreamEvent[] {
    return this.decodeFrames(this.sse.end());
  }

  private decodeFrames(frames: SseFrame[]): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const frame of frames) {
      if (this.broken) break;
      this.decodeFrame(frame, out);
    }
    return out;
  }

  private decodeFrame(frame: SseFrame, out: StreamEvent[]): void {
    let payload: unknown;
    try {
      payload = JSON.parse(frame.data);
    } catch {
      payload = undefined;
    }
    if (!isRecord(payload)) {
      this.broken = true;
      out.push({ type: 'error', status: 502, message: `The Anthropic upstream sent a stream frame that is not a JSON object (event ${frame.event ?? 'none'})` });
      return;
    }
    const type = typeof payload.type === 'string' ? payload.type : frame.event;
    switch (type) {
      case 'message_start':
        return this.messageStart(payload.message, out);
      case 'content_block_start':
        return this.blockStart(payload, out);
      case 'content_block_delta':
        return this.blockDelta(payload, out);
      case 'content_block_stop':
        return this.blockStop(payload, out);
      case 'message_delta':
        return this.messageDelta(payload, out);
      case 'error': {
        const error = isRecord(payload.error) ? payload.error : {};
        const message = typeof error.message === 'string' ? error.message : 'The Anthropic upstream reported an error';
        out.push({ type: 'error', status: statusForErrorType(error.type), message });
        return;
      }
      default:
        return; // ping, message_stop, and event kinds added later
    }
  }

  private messageStart(message: unknown, out: StreamEvent[]): void {
    const m = isRecord(message) ? message : {};
    out.push({
      type: 'start',
      id: typeof m.id === 'string' ? m.id : '',
      model: typeof m.model === 'string' ? m.model : '',
      created: Math.floor(Date.now() / 1000),
    });
    this.counts = mergeAnthropicCounts(this.counts, readAnthropicCounts(m.usage));
  }

  private blockStart(payload: Json, out: StreamEvent[]): void {
    const index = payload.index;
    const block = payload.content_block;
    if (typeof index !== 'number' || !isRecord(block)) return;
    if (block.type === 'tool_use') {
      const callIndex = this.nextCallIndex++;
      this.blocks.set(index, { kind: 'tool_use', callIndex, sawArguments: false });
      out.push({
        type: 'tool_call_start',
        callIndex,
        id: typeof block.id === 'string' ? block.id : '',
        name: typeof block.name === 'string' ? block.name : '',
      });
      return;
    }
    this.blocks.set(index, { kind: 'other' });
    // Starts usually carry empty text; anything already there is content too.
    if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') out.push({ type: 'text', text: block.text });
    else if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking !== '') {
      this.thinkingChars += block.thinking.length;
      out.push({ type: 'thinking', text: block.thinking });
    }
    else if (block.type === 'redacted_thinking' && typeof block.data === 'string') out.push({ type: 'redacted_thinking', data: block.data });
    else if (block.type === 'image') {
      const part = decodeOutputBlock(block);
      if (part?.type === 'image') out.push(part);
    }
  }

  private blockDelta(payload: Json, out: StreamEvent[]): void {
    const delta = payload.delta;
    if (!isRecord(delta)) return;
    switch (delta.type) {
      case 'text_delta':
        if (typeof delta.text === 'string' && delta.text !== '') out.push({ type: 'text', text: delta.text });
        return;
      case 'thinking_delta':
        if (typeof delta.thinking === 'string' && delta.thinking !== '') {
          this.thinkingChars += delta.thinking.length;
          out.push({ type: 'thinking', text: delta.thinking });
        }
        return;
      case 'signature_delta':
        if (typeof delta.signature === 'string' && delta.signature !== '') out.push({ type: 'thinking_signature', signature: delta.signature });
        return;
      case 'input_json_delta': {
        const state = typeof payload.index === 'number' ? this.blocks.get(payload.index) : undefined;
        if (state?.kind !== 'tool_use' || typeof delta.partial_json !== 'string' || delta.partial_json === '') return;
        state.sawArguments = true;
        out.push({ type: 'tool_call_delta', callIndex: state.callIndex, argumentsDelta: delta.partial_json });
        return;
      }
      default:
        return; // citations_delta and kinds added later
    }
  }

  private blockStop(payload: Json, out: StreamEvent[]): void {
    const state = typeof payload.index === 'number' ? this.blocks.get(payload.index) : undefined;
    // A call without arguments streams no JSON at all; other dialects need `{}`.
    if (state?.kind === 'tool_use' && !state.sawArguments) {
      out.push({ type: 'tool_call_delta', callIndex: state.callIndex, argumentsDelta: '{}' });
      state.sawArguments = true;
    }
  }

  private messageDelta(payload: Json, out: StreamEvent[]): void {
    const delta = isRecord(payload.delta) ? payload.delta : {};
    if (typeof delta.stop_reason === 'string') out.push({ type: 'finish', reason: finishFromStopReason(delta.stop_reason) });
    if (isRecord(payload.usage)) {
      this.counts = mergeAnthropicCounts(this.counts, readAnthropicCounts(payload.usage));
      out.push({ type: 'usage', usage: toCanonicalUsage(withThinkingEstimate(this.counts, this.thinkingChars)) });
    }
  }
}
