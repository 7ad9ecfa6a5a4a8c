// Canonical events → the client's `chat.completion.chunk` SSE stream, the shape
// the openai SDK parses: a role chunk first, deltas, a finish chunk per choice,
// the usage chunk (`choices: []`) when asked for, then `data: [DONE]`.
import type { EncodeResponseOptions, StreamEncoder } from '../../canonical/codec.js';
import type { CanonicalUsage, FinishReason, StreamEvent } from '../../canonical/types.js';
import { GatewayError, kindForStatus } from '../../errors.js';
import { renderError } from '../../render-error.js';
import { encodeChatUsage } from './chat-usage.js';
import { encodeFinishReason } from './finish-reason.js';
import { completionId, nowSeconds, toolCallId } from './ids.js';
import { placeImage } from './image-output.js';
import { jsonString } from './json-string.js';
import { MarkdownSpacing, markdownImage } from './markdown-images.js';
import { signatureExtra } from './thought-signature.js';

/** No SSE frame carrying a markdown image (ASCII, like any data URL) is larger than this: client line buffers, proxies. */
export const MAX_MARKDOWN_FRAME_BYTES = 16 * 1024;

interface ChoiceState {
  spacing: MarkdownSpacing;
  /** Canonical callIndex → the stable wire index. */
  calls: Map<number, number>;
  images: number;
  finished: boolean;
}

export class ChatStreamEncoder implements StreamEncoder {
  readonly contentType = 'text/event-stream';
  private id = completionId();
  private created = nowSeconds();
  /** `{"id":…,"object":…,"created":…,"model":…,` — serialised once, with the first chunk. */
  private head = '';
  private readonly choices = new Map<number, ChoiceState>();
  private usage: CanonicalUsage | undefined;
  private closed = false;
  private out = '';

  constructor(private readonly opts: EncodeResponseOptions) {}

  push(event: StreamEvent): string {
    if (this.closed) return '';
    switch (event.type) {
      case 'start':
        if (!this.head) {
          this.id = completionId(event.id);
          if (event.created > 0) this.created = event.created;
        }
        this.choice(0);
        break;
      case 'text':
        // Bounded frames here too: some upstreams inline a whole markdown image in one text delta.
        if (event.text) this.content(event.choice ?? 0, this.choice(event.choice).spacing.text(event.text));
        break;
      case 'thinking':
        if (event.text) {
          this.choice(event.choice);
          this.delta(event.choice, { reasoning_content: event.text });
        }
        break;
      case 'image':
        if (!event.thought) this.image(event);
        break;
      case 'tool_call_start':
        this.toolCallStart(event.choice, event.callIndex, event.id, event.name, event.signature);
        break;
      case 'tool_call_delta': {
        const wire = this.choice(event.choice).calls.get(event.callIndex) ?? this.toolCallStart(event.choice, event.callIndex, toolCallId(), '');
        if (event.argumentsDelta) this.delta(event.choice, { tool_calls: [{ index: wire, function: { arguments: event.argumentsDelta } }] });
        break;
      }
      case 'finish':
        this.finish(event.choice, event.reason);
        break;
      case 'usage':
        this.usage = event.usage;
        break;
      case 'error':
        return this.take() + this.fail(new GatewayError(kindForStatus(event.status), event.message, { status: event.status }));
      default:
        // Signatures and redacted thinking have no place on this wire.
        break;
    }
    return this.take();
  }

  end(): string {
    if (this.closed) return '';
    this.closed = true;
    if (this.opts.includeUsage && this.usage) {
      this.frame(`${this.envelope()}"choices":[],"usage":${JSON.stringify(encodeChatUsage(this.usage))}}`);
    }
    this.out += 'data: [DONE]\n\n';
    return this.take();
  }

  fail(err: GatewayError): string {
    if (this.closed) return '';
    this.closed = true;
    // No [DONE]: the SDK raises the error frame as an APIError.
    return `data: ${JSON.stringify(renderError('openai', err).body)}\n\n`;
  }

  /** The choice's state; its first use sends the role chunk. */
  private choice(index = 0): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = { spacing: new MarkdownSpacing(), calls: new Map(), images: 0, finished: false };
      this.choices.set(index, state);
      this.delta(index, { role: 'assistant', content: '' });
    }
    return state;
  }

  private toolCallStart(choice: number | undefined, callIndex: number, id: string, name: string, signature?: string): number {
    const state = this.choice(choice);
    const existing = state.calls.get(callIndex);
    if (existing !== undefined) return existing;
    const wire = state.calls.size;
    state.calls.set(callIndex, wire);
    this.delta(choice, { tool_calls: [{ index: wire, id, type: 'function', function: { name, arguments: '' }, ...signatureExtra(signature) }] });
    return wire;
  }

  private image(event: Extract<StreamEvent, { type: 'image' }>): void {
    const state = this.choice(event.choice);
    const { listUrl, markdownUrl } = placeImage(event, this.opts.imageOutput);
    if (listUrl !== undefined) {
      // Written by hand so a 20 MB data URL is quoted, not re-escaped (imageEntry() plus the stream index).
      this.chunk(event.choice ?? 0, `{"images":[{"index":${state.images++},"type":"image_url","image_url":{"url":${jsonString(listUrl)}}}]}`, 'null');
    }
    if (markdownUrl !== undefined) this.content(event.choice ?? 0, state.spacing.beforeImage() + markdownImage(markdownUrl));
  }

  /** Content deltas in frames of bounded size: a markdown data-URL image can be 20 MB. */
  private content(index: number, text: string): void {
    const before = `${this.envelope()}"choices":[{"index":${index},"delta":{"content":`;
    const after = `},"logprobs":null,"finish_reason":null}]}`;
    // 'data: ' + before + '"' + piece + '"' + after + '\n\n'; the margin covers escapes in a short text head.
    const room = Math.max(1024, MAX_MARKDOWN_FRAME_BYTES - before.length - after.length - 6 - 2 - 2 - 64);
    if (text.length <= room) {
      this.frame(before + jsonString(text) + after);
      return;
    }
    for (let at = 0; at < text.length; ) {
      let end = Math.min(text.length, at + room);
      // Never cut a surrogate pair: clients that decode each chunk alone would get two broken halves.
      if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end--;
      this.frame(before + jsonString(text.slice(at, end)) + after);
      at = end;
    }
  }

  private finish(choice: number | undefined, reason: FinishReason): void {
    const state = this.choice(choice);
    if (state.finished) return;
    state.finished = true;
    this.chunk(choice ?? 0, '{}', JSON.stringify(encodeFinishReason(reason, state.calls.size > 0)));
  }

  private delta(choice: number | undefined, delta: Record<string, unknown>): void {
    this.chunk(choice ?? 0, JSON.stringify(delta), 'null');
  }

  private chunk(index: number, deltaJson: string, finishJson: string): void {
    this.frame(`${this.envelope()}"choices":[{"index":${index},"delta":${deltaJson},"logprobs":null,"finish_reason":${finishJson}}]}`);
  }

  /** The fields every chunk repeats, serialised once: the id never changes after the first chunk. */
  private envelope(): string {
    if (!this.head) {
      this.head = `{"id":${JSON.stringify(this.id)},"object":"chat.completion.chunk","created":${this.created},"model":${JSON.stringify(this.opts.model)},`;
    }
    return this.head;
  }

  private frame(json: string): void {
    this.out += `data: ${json}\n\n`;
  }

  private take(): string {
    const out = this.out;
    this.out = '';
    return out;
  }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
