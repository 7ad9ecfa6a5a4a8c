// Canonical stream events → the Anthropic SSE stream a client reads. Every
// frame carries an `event:` line: the SDK drops data-only events.
import type { EncodeResponseOptions, StreamEncoder } from '../../canonical/codec.js';
import { sseFrame } from '../../canonical/sse.js';
import type { CanonicalUsage, FinishReason, StreamEvent } from '../../canonical/types.js';
import { GatewayError, kindForStatus } from '../../errors.js';
import { renderError } from '../../render-error.js';
import { messageIdFrom } from './ids.js';
import { imageBlock, type Block } from './output-blocks.js';
import { stopReasonFromFinish } from './stop-reason.js';
import { toAnthropicUsage } from './usage-map.js';

type OpenKind = 'text' | 'thinking' | 'tool_use';

function frame(event: string, payload: unknown): string {
  return sseFrame(JSON.stringify(payload), event);
}

export class AnthropicStreamEncoder implements StreamEncoder {
  readonly contentType = 'text/event-stream';
  private started = false;
  /** After an error frame nothing more may be written. */
  private finished = false;
  private nextIndex = 0;
  private open: { kind: OpenKind; index: number; callIndex?: number } | undefined;
  /** callIndex → block index, for deltas that arrive after their block closed. */
  private readonly toolBlocks = new Map<number, number>();
  private finish: FinishReason | undefined;
  private usage: CanonicalUsage | undefined;

  constructor(private readonly opts: EncodeResponseOptions) {}

  push(event: StreamEvent): string {
    if (this.finished) return '';
    // Claude answers with one message: other choices are not shown.
    if ('choice' in event && event.choice !== undefined && event.choice !== 0) return '';
    switch (event.type) {
      case 'start':
        return this.begin(event.id);
      case 'text':
        return event.text === '' ? '' : this.begin() + this.ensureOpen('text') + this.delta({ type: 'text_delta', text: event.text });
      case 'thinking':
        return event.text === '' ? '' : this.begin() + this.ensureOpen('thinking') + this.delta({ type: 'thinking_delta', thinking: event.text });
      case 'thinking_signature':
        // The signature closes its thinking block.
        return this.begin() + this.ensureOpen('thinking') + this.delta({ type: 'signature_delta', signature: event.signature }) + this.close();
      case 'redacted_thinking':
        return this.begin() + this.close() + this.wholeBlock({ type: 'redacted_thinking', data: event.data });
      case 'image': {
        const block = event.thought ? undefined : imageBlock(event);
        return block === undefined ? '' : this.begin() + this.close() + this.wholeBlock(block);
      }
      case 'tool_call_start':
        return this.begin() + this.close() + this.openToolUse(event.callIndex, event.id, event.name);
      case 'tool_call_delta':
        return this.toolDelta(event.callIndex, event.argumentsDelta);
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        this.finish = event.reason;
        return '';
      case 'error':
        return this.errorFrame(new GatewayError(kindForStatus(event.status), event.message, { status: event.status }));
    }
  }

  end(): string {
    if (this.finished) return '';
    this.finished = true;
    const stopReason = stopReasonFromFinish(this.finish, this.toolBlocks.size > 0);
    return (
      this.begin() +
      this.close() +
      frame('message_delta', { type: 'message_delta', delta: { stop_reason: stopReason, stop_sequence: null }, usage: toAnthropicUsage(this.usage) }) +
      frame('message_stop', { type: 'message_stop' })
    );
  }

  fail(err: GatewayError): string {
    return this.finished ? '' : this.errorFrame(err);
  }

  private errorFrame(err: GatewayError): string {
    this.finished = true;
    return frame('error', renderError('anthropic', err).body);
  }

  /** message_start (and a ping, like Anthropic) before anything else. */
  private begin(id?: string): string {
    if (this.started) return '';
    this.started = true;
    const message = {
      id: messageIdFrom(id),
      type: 'message',
      role: 'assistant',
      model: this.opts.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // Usage usually arrives at the end; the final message_delta carries it.
      usage: { ...toAnthropicUsage(this.usage), output_tokens: 0 },
    };
    return frame('message_start', { type: 'message_start', message }) + frame('ping', { type: 'ping' });
  }

  private ensureOpen(kind: 'text' | 'thinking'): string {
    if (this.open?.kind === kind) return '';
    const block = kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
    const closing = this.close();
    this.open = { kind, index: this.nextIndex++ };
    return closing + frame('content_block_start', { type: 'content_block_start', index: this.open.index, content_block: block });
  }

  private openToolUse(callIndex: number, id: string, name: string): string {
    const index = this.nextIndex++;
    this.open = { kind: 'tool_use', index, callIndex };
    this.toolBlocks.set(callIndex, index);
    return frame('content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } });
  }

  private toolDelta(callIndex: number, json: string): string {
    if (json === '') return '';
    // Deltas normally follow their start; one for an earlier call still goes to its own block.
    const index = this.open?.kind === 'tool_use' && this.open.callIndex === callIndex ? this.open.index : this.toolBlocks.get(callIndex);
    if (index === undefined) return '';
    return frame('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: json } });
  }

  private delta(delta: Block): string {
    return frame('content_block_delta', { type: 'content_block_delta', index: this.open!.index, delta });
  }

  private close(): string {
    if (this.open === undefined) return '';
    const index = this.open.index;
    this.open = undefined;
    return frame('content_block_stop', { type: 'content_block_stop', index });
  }

  /** A block that arrives whole: start and stop at once. */
  private wholeBlock(block: Block): string {
    const index = this.nextIndex++;
    return frame('content_block_start', { type: 'content_block_start', index, content_block: block }) + frame('content_block_stop', { type: 'content_block_stop', index });
  }
}
