// An upstream's chat completion SSE stream → canonical events. Bytes may split
// anywhere (SseParser copes); each `data:` frame is parsed once.
import type { StreamDecoder } from '../../canonical/codec.js';
import { SseParser, type SseFrame } from '../../canonical/sse.js';
import type { StreamEvent } from '../../canonical/types.js';
import { decodeChatUsage } from './chat-usage.js';
import { imageSourceFromUrl } from './data-url.js';
import { decodeFinishReason } from './finish-reason.js';
import { nowSeconds, toolCallId } from './ids.js';
import { readWireError } from './upstream-error.js';
import { isRecord, type Json } from './wire-guards.js';
import { signatureOf } from './thought-signature.js';

/** Tool calls seen in one choice, by wire index (the `index` the upstream streams them under). */
interface ChoiceCalls {
  started: Set<number>;
  /** For upstreams that omit `index`: calls told apart by id. */
  byId: Map<string, number>;
  last: number;
}

export class ChatStreamDecoder implements StreamDecoder {
  private readonly sse = new SseParser();
  private started = false;
  private done = false;
  private readonly calls = new Map<number, ChoiceCalls>();

  push(chunk: Buffer): StreamEvent[] {
    return this.decodeFrames(this.sse.push(chunk));
  }

  end(): StreamEvent[] {
    return this.decodeFrames(this.sse.end());
  }

  private decodeFrames(frames: SseFrame[]): StreamEvent[] {
    const out: StreamEvent[] = [];
    for (const frame of frames) if (!this.done) this.decodeFrame(frame.data, out);
    return out;
  }

  private decodeFrame(data: string, out: StreamEvent[]): void {
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    if (data.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      this.fail(out, 502, 'The upstream sent a stream frame that is not JSON.');
      return;
    }
    if (!isRecord(json)) return;
    if (isRecord(json.error)) {
      const { status, message } = readWireError(json.error);
      this.fail(out, status, message);
      return;
    }
    if (!this.started) {
      this.started = true;
      out.push({
        type: 'start',
        id: typeof json.id === 'string' ? json.id : '',
        model: typeof json.model === 'string' ? json.model : '',
        created: typeof json.created === 'number' ? json.created : nowSeconds(),
      });
    }
    if (Array.isArray(json.choices)) json.choices.forEach((c, position) => this.decodeChoice(c, position, out));
    const usage = decodeChatUsage(json.usage);
    if (usage) out.push({ type: 'usage', usage });
  }

  private fail(out: StreamEvent[], status: number, message: string): void {
    out.push({ type: 'error', status, message });
    this.done = true;
  }

  private decodeChoice(raw: unknown, position: number, out: StreamEvent[]): void {
    if (!isRecord(raw)) return;
    const index = typeof raw.index === 'number' ? raw.index : position;
    const at = index === 0 ? {} : { choice: index };
    const delta = isRecord(raw.delta) ? raw.delta : {};
    // DeepSeek streams reasoning_content, OpenRouter reasoning; some send both, identical.
    const reasoning = typeof delta.reasoning_content === 'string' && delta.reasoning_content ? delta.reasoning_content : delta.reasoning;
    if (typeof reasoning === 'string' && reasoning) out.push({ type: 'thinking', text: reasoning, ...at });
    if (typeof delta.content === 'string' && delta.content) out.push({ type: 'text', text: delta.content, ...at });
    if (typeof delta.refusal === 'string' && delta.refusal) out.push({ type: 'text', text: delta.refusal, ...at });
    if (Array.isArray(delta.images)) this.decodeImages(delta.images, at, out);
    if (Array.isArray(delta.tool_calls)) for (const call of delta.tool_calls) this.decodeToolCall(call, index, at, out);
    if (typeof raw.finish_reason === 'string') out.push({ type: 'finish', reason: decodeFinishReason(raw.finish_reason), ...at });
  }

  private decodeImages(images: unknown[], at: { choice?: number }, out: StreamEvent[]): void {
    for (const item of images) {
      const imageUrl = isRecord(item) ? item.image_url : undefined;
      const url = isRecord(imageUrl) ? imageUrl.url : imageUrl;
      const source = typeof url === 'string' ? imageSourceFromUrl(url) : undefined;
      if (source) out.push({ type: 'image', ...source, ...at });
    }
  }

  private decodeToolCall(raw: unknown, choice: number, at: { choice?: number }, out: StreamEvent[]): void {
    if (!isRecord(raw)) return;
    const calls = this.callsOf(choice);
    const fn: Json = isRecord(raw.function) ? raw.function : {};
    const id = typeof raw.id === 'string' && raw.id ? raw.id : undefined;
    const name = typeof fn.name === 'string' && fn.name ? fn.name : undefined;
    const callIndex = this.wireIndex(raw.index, id, calls);
    calls.last = callIndex;
    if (!calls.started.has(callIndex)) {
      calls.started.add(callIndex);
      if (id !== undefined) calls.byId.set(id, callIndex);
      const signature = signatureOf(raw);
      out.push({ type: 'tool_call_start', callIndex, id: id ?? toolCallId(), name: name ?? '', ...(signature && { signature }), ...at });
    }
    if (typeof fn.arguments === 'string' && fn.arguments) out.push({ type: 'tool_call_delta', callIndex, argumentsDelta: fn.arguments, ...at });
  }

  private wireIndex(index: unknown, id: string | undefined, calls: ChoiceCalls): number {
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0) return index;
    if (id === undefined) return calls.started.size === 0 ? 0 : calls.last;
    return calls.byId.get(id) ?? (calls.started.size === 0 ? 0 : Math.max(...calls.started) + 1);
  }

  private callsOf(choice: number): ChoiceCalls {
    let calls = this.calls.get(choice);
    if (!calls) {
      calls = { started: new Set(), byId: new Map(), last: 0 };
      this.calls.set(choice, calls);
    }
    return calls;
  }
}
