// Canonical events → a Responses SSE stream, in the order the openai SDK's
// accumulator replays: response.created, response.in_progress, then each
// output item added → its deltas → done, and response.completed (or
// .incomplete) carrying the whole response. Every event has `event:` and a
// rising sequence_number. One message or reasoning item is open at a time;
// function calls may stream interleaved, so they stay open side by side until
// something else starts.
import type { EncodeResponseOptions, StreamEncoder } from '../../canonical/codec.js';
import { sseFrame } from '../../canonical/sse.js';
import type { CanonicalUsage, FinishReason, StreamEvent } from '../../canonical/types.js';
import { GatewayError, kindForStatus } from '../../errors.js';
import { renderOpenAIError } from '../errors.js';
import { newId, responseId } from './ids.js';
import { functionCallItem, imageItem, imageMarkdown, messageItem, outputText, reasoningItem, responseObject, type Item } from './output-items.js';
import { encodeFinish, errorCodeFor } from './status-map.js';

interface OpenMessage {
  kind: 'message';
  id: string;
  index: number;
  text: string;
}

interface OpenReasoning {
  kind: 'reasoning';
  id: string;
  index: number;
  /** undefined until a summary part opens (a signature-only item has none). */
  text: string | undefined;
  signature: string | undefined;
}

interface OpenCall {
  id: string;
  index: number;
  callId: string;
  name: string;
  args: string;
}

export class ResponsesStreamEncoder implements StreamEncoder {
  readonly contentType = 'text/event-stream';
  private seq = 0;
  private started = false;
  private finished = false;
  private id = '';
  private createdAt = 0;
  /** Every item by output_index: as added while open, replaced by its done form. */
  private readonly output: Item[] = [];
  private open: OpenMessage | OpenReasoning | undefined;
  private readonly calls = new Map<number, OpenCall>();
  /** Every callIndex ever started: a repeated start must not open a second item. */
  private readonly seenCalls = new Set<number>();
  private usage: CanonicalUsage | undefined;
  private finish: FinishReason | undefined;

  constructor(private readonly opts: EncodeResponseOptions) {}

  push(ev: StreamEvent): string {
    if (this.finished) return '';
    // Responses has a single answer: other choices have nowhere to go.
    if ('choice' in ev && ev.choice !== undefined && ev.choice !== 0) return '';
    switch (ev.type) {
      case 'start':
        if (this.started) return '';
        this.id = responseId(ev.id);
        this.createdAt = ev.created;
        return this.ensureStarted();
      case 'text':
        return this.ensureStarted() + this.text(ev.text);
      case 'thinking':
        return this.ensureStarted() + this.thinking(ev.text);
      case 'thinking_signature':
        return this.ensureStarted() + this.signature(ev.signature);
      case 'image':
        if (ev.thought) return '';
        if (ev.data === undefined) return ev.url === undefined ? '' : this.ensureStarted() + this.text(imageMarkdown(ev.url));
        return this.ensureStarted() + this.image(ev.data);
      case 'tool_call_start':
        return this.ensureStarted() + this.callStart(ev.callIndex, ev.id, ev.name);
      case 'tool_call_delta':
        return this.callDelta(ev.callIndex, ev.argumentsDelta);
      case 'usage':
        this.usage = ev.usage;
        return '';
      case 'finish':
        this.finish = ev.reason;
        return '';
      case 'error':
        return this.fail(new GatewayError(kindForStatus(ev.status), ev.message, { status: ev.status }));
      default:
        return '';
    }
  }

  end(): string {
    if (this.finished) return '';
    const out = this.ensureStarted() + this.closeAll();
    this.finished = true;
    const { status, incompleteReason } = encodeFinish(this.finish);
    const response = this.snapshot(status, { usage: this.usage, ...(incompleteReason && { incompleteReason }) });
    return out + this.frame(status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
  }

  /**
   * An `error` event, which makes the openai SDK throw (it raises on any event
   * whose data has an `error` object; the SDK's types also name the flat
   * code/message/param), then `response.failed` for clients such as Codex that
   * wait for a terminal response event.
   */
  fail(err: GatewayError): string {
    if (this.finished) return '';
    this.finished = true;
    const rendered = (renderOpenAIError(err).body as { error: Record<string, unknown> }).error;
    const code = errorCodeFor(err);
    const param = err.param ?? null;
    const error = this.frame('error', { code, message: err.message, param, error: { ...rendered, code, param } });
    return error + this.frame('response.failed', { response: this.snapshot('failed', { usage: this.usage ?? null, error: { code, message: err.message } }) });
  }

  private frame(type: string, payload: Record<string, unknown>): string {
    return sseFrame(JSON.stringify({ type, sequence_number: this.seq++, ...payload }), type);
  }

  private snapshot(status: 'in_progress' | 'completed' | 'incomplete' | 'failed', extra: { usage: CanonicalUsage | undefined | null; incompleteReason?: 'max_output_tokens' | 'content_filter'; error?: { code: string; message: string } }): Record<string, unknown> {
    return responseObject({ id: this.id, createdAt: this.createdAt, model: this.opts.model, status, output: status === 'in_progress' ? [] : this.output, ...extra });
  }

  private ensureStarted(): string {
    if (this.started) return '';
    this.started = true;
    if (!this.id) {
      // The upstream sent no start event: invent what it would have said.
      this.id = responseId(undefined);
      this.createdAt = Math.floor(Date.now() / 1000);
    }
    return this.frame('response.created', { response: this.snapshot('in_progress', { usage: null }) }) + this.frame('response.in_progress', { response: this.snapshot('in_progress', { usage: null }) });
  }

  private addItem(item: Item): { index: number; frame: string } {
    const index = this.output.length;
    this.output.push(item);
    return { index, frame: this.frame('response.output_item.added', { output_index: index, item }) };
  }

  private doneItem(index: number, item: Item): string {
    this.output[index] = item;
    return this.frame('response.output_item.done', { output_index: index, item });
  }

  private text(delta: string): string {
    let out = '';
    if (this.open?.kind !== 'message') {
      out += this.closeAll();
      const id = newId('msg');
      const added = this.addItem(messageItem(id, 'in_progress', []));
      this.open = { kind: 'message', id, index: added.index, text: '' };
      out += added.frame + this.frame('response.content_part.added', { item_id: id, output_index: added.index, content_index: 0, part: outputText('') });
    }
    const msg = this.open as OpenMessage;
    msg.text += delta;
    return out + this.frame('response.output_text.delta', { item_id: msg.id, output_index: msg.index, content_index: 0, delta, logprobs: [] });
  }

  private thinking(delta: string): string {
    let out = '';
    // A signed reasoning block is finished: more thinking is a new block.
    if (this.open?.kind !== 'reasoning' || this.open.signature !== undefined) out += this.closeAll() + this.openReasoning();
    const r = this.open as OpenReasoning;
    if (r.text === undefined) {
      r.text = '';
      out += this.frame('response.reasoning_summary_part.added', { item_id: r.id, output_index: r.index, summary_index: 0, part: { type: 'summary_text', text: '' } });
    }
    r.text += delta;
    return out + this.frame('response.reasoning_summary_text.delta', { item_id: r.id, output_index: r.index, summary_index: 0, delta });
  }

  private signature(signature: string): string {
    let out = '';
    if (this.open?.kind !== 'reasoning' || this.open.signature !== undefined) out += this.closeAll() + this.openReasoning();
    (this.open as OpenReasoning).signature = signature;
    return out;
  }

  private openReasoning(): string {
    const id = newId('rs');
    const added = this.addItem(reasoningItem(id, undefined, undefined));
    this.open = { kind: 'reasoning', id, index: added.index, text: undefined, signature: undefined };
    return added.frame;
  }

  private image(data: string): string {
    const id = newId('ig');
    const out = this.closeAll();
    const added = this.addItem(imageItem(id, 'in_progress', null));
    return out + added.frame + this.doneItem(added.index, imageItem(id, 'completed', data));
  }

  private callStart(callIndex: number, callId: string, name: string): string {
    if (this.seenCalls.has(callIndex)) return '';
    this.seenCalls.add(callIndex);
    const out = this.closeOpen();
    const id = newId('fc');
    const added = this.addItem(functionCallItem(id, 'in_progress', callId, name, ''));
    this.calls.set(callIndex, { id, index: added.index, callId, name, args: '' });
    return out + added.frame;
  }

  private callDelta(callIndex: number, delta: string): string {
    const call = this.calls.get(callIndex);
    if (!call || delta === '') return '';
    call.args += delta;
    return this.frame('response.function_call_arguments.delta', { item_id: call.id, output_index: call.index, delta });
  }

  private closeAll(): string {
    return this.closeOpen() + this.closeCalls();
  }

  /** Closes the open message or reasoning item. */
  private closeOpen(): string {
    const item = this.open;
    if (!item) return '';
    this.open = undefined;
    const at = { item_id: item.id, output_index: item.index };
    if (item.kind === 'message') {
      return (
        this.frame('response.output_text.done', { ...at, content_index: 0, text: item.text, logprobs: [] }) +
        this.frame('response.content_part.done', { ...at, content_index: 0, part: outputText(item.text) }) +
        this.doneItem(item.index, messageItem(item.id, 'completed', [outputText(item.text)]))
      );
    }
    let out = '';
    if (item.text !== undefined) {
      const part = { type: 'summary_text', text: item.text };
      out += this.frame('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: item.text });
      out += this.frame('response.reasoning_summary_part.done', { ...at, summary_index: 0, part });
    }
    return out + this.doneItem(item.index, reasoningItem(item.id, item.text, item.signature));
  }

  private closeCalls(): string {
    let out = '';
    for (const call of this.calls.values()) {
      out += this.frame('response.function_call_arguments.done', { item_id: call.id, output_index: call.index, name: call.name, arguments: call.args });
      out += this.doneItem(call.index, functionCallItem(call.id, 'completed', call.callId, call.name, call.args));
    }
    this.calls.clear();
    return out;
  }
}
