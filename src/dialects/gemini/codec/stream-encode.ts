// Canonical events → a Gemini client's stream: SSE frames (`?alt=sse`) or a
// JSON array written element by element. Each text, thought or image becomes
// one chunk; a tool call is sent whole once complete (Gemini never streams
// arguments); the finish reason and usage ride on the last chunk, written at
// end() because usage may come after the finish.
import type { EncodeResponseOptions, StreamEncoder } from '../../canonical/codec.js';
import type { CanonicalUsage, FinishReason, MediaSource, StreamEvent } from '../../canonical/types.js';
import { GatewayError, kindForStatus } from '../../errors.js';
import { renderError } from '../../render-error.js';
import { encodeFinishReason } from './finish-reason.js';
import { newResponseId } from './ids.js';
import { encodeMedia } from './media.js';
import { encodeUsageMetadata } from './usage-metadata.js';
import { parseObject, type Rec } from './wire.js';

interface OpenCall {
  id: string;
  name: string;
  args: string;
  signature?: string;
}

/** True when base64 can sit between JSON quotes as is (nothing to escape, no line break to split an SSE frame). */
function spliceable(data: string): boolean {
  return data.indexOf('"') === -1 && data.indexOf('\\') === -1 && data.indexOf('\n') === -1 && data.indexOf('\r') === -1;
}

/** An image part as JSON; inline base64 is spliced in, not run through JSON.stringify (20 MB images). */
function imagePartJson(image: MediaSource & { thought?: boolean; signature?: string }): string {
  const extra = `${image.thought ? ',"thought":true' : ''}${image.signature ? `,"thoughtSignature":${JSON.stringify(image.signature)}` : ''}`;
  if (image.data !== undefined && spliceable(image.data)) {
    return `{"inlineData":{"mimeType":${JSON.stringify(image.mimeType)},"data":"${image.data}"}${extra}}`;
  }
  const part = JSON.stringify(encodeMedia(image));
  return `${part.slice(0, -1)}${extra}}`;
}

export class GeminiStreamEncoder implements StreamEncoder {
  readonly contentType: string;
  private readonly sse: boolean;
  private readonly modelJson: string;
  private tail = '';
  private opened = false;
  private closed = false;
  private readonly calls = new Map<number, OpenCall>();
  private readonly finishes = new Map<number, FinishReason>();
  private usage: CanonicalUsage | undefined;

  constructor(opts: EncodeResponseOptions) {
    this.sse = opts.sse !== false;
    this.contentType = this.sse ? 'text/event-stream' : 'application/json; charset=UTF-8';
    this.modelJson = JSON.stringify(opts.model);
  }

  push(event: StreamEvent): string {
    if (this.closed) return '';
    const choice = 'choice' in event && event.choice !== undefined ? event.choice : 0;
    switch (event.type) {
      case 'start':
        this.setId(event.id);
        return '';
      case 'text': {
        const part: Rec = { text: event.text };
        if (event.signature) part.thoughtSignature = event.signature;
        return this.flushCall(choice) + this.chunk(choice, JSON.stringify(part));
      }
      case 'thinking':
        return this.flushCall(choice) + this.chunk(choice, JSON.stringify({ text: event.text, thought: true }));
      case 'thinking_signature':
        return this.flushCall(choice) + this.chunk(choice, JSON.stringify({ text: '', thought: true, thoughtSignature: event.signature }));
      case 'redacted_thinking':
        return ''; // Gemini has no form for it
      case 'image':
        return this.flushCall(choice) + this.chunk(choice, imagePartJson(event));
      case 'tool_call_start': {
        const flushed = this.flushCall(choice);
        const call: OpenCall = { id: event.id, name: event.name, args: '' };
        if (event.signature) call.signature = event.signature;
        this.calls.set(choice, call);
        return flushed;
      }
      case 'tool_call_delta': {
        const call = this.calls.get(choice);
        if (call) call.args += event.argumentsDelta;
        return '';
      }
      case 'usage':
        this.usage = event.usage;
        return '';
      case 'finish':
        this.finishes.set(choice, event.reason);
        return '';
      case 'error':
        return this.fail(new GatewayError(kindForStatus(event.status), event.message, { status: event.status }));
    }
  }

  end(): string {
    if (this.closed) return '';
    this.closed = true;
    const choices = [...new Set([...this.calls.keys(), ...this.finishes.keys()])].sort((a, b) => a - b);
    let body = '';
    if (choices.length > 0 || this.usage) {
      const candidates = choices.map((choice) => {
        const call = this.calls.get(choice);
        const finish = this.finishes.get(choice);
        return this.candidate(choice, call ? callPartJson(call) : '{"text":""}', finish && encodeFinishReason(finish));
      });
      const usage = this.usage ? `"usageMetadata":${JSON.stringify(encodeUsageMetadata(this.usage))},` : '';
      body = this.frame(`{"candidates":[${candidates.join(',')}],${usage}${this.responseTail()}`);
    }
    if (this.sse) return body;
    return body + (this.opened ? ']' : '[]');
  }

  fail(err: GatewayError): string {
    if (this.closed) return '';
    this.closed = true;
    const json = JSON.stringify(renderError('gemini', err).body);
    if (this.sse) return `data: ${json}\r\n\r\n`;
    return `${this.opened ? ',\r\n' : '['}${json}]`;
  }

  private setId(id: string): void {
    this.tail = `"modelVersion":${this.modelJson},"responseId":${JSON.stringify(id)}}`;
  }

  private responseTail(): string {
    if (this.tail === '') this.setId(newResponseId());
    return this.tail;
  }

  private candidate(choice: number, partsJson: string, finishReason?: string): string {
    const finish = finishReason ? `,"finishReason":"${finishReason}"` : '';
    return `{"content":{"role":"model","parts":[${partsJson}]}${finish},"index":${choice}}`;
  }

  private chunk(choice: number, partJson: string): string {
    return this.frame(`{"candidates":[${this.candidate(choice, partJson)}],${this.responseTail()}`);
  }

  private frame(json: string): string {
    if (this.sse) return `data: ${json}\r\n\r\n`;
    const prefix = this.opened ? ',\r\n' : '[';
    this.opened = true;
    return prefix + json;
  }

  /** A call is complete once anything else happens in its choice. */
  private flushCall(choice: number): string {
    const call = this.calls.get(choice);
    if (!call) return '';
    this.calls.delete(choice);
    return this.chunk(choice, callPartJson(call));
  }
}

function callPartJson(call: OpenCall): string {
  const part: Rec = { functionCall: { id: call.id, name: call.name, args: parseObject(call.args) } };
  if (call.signature) part.thoughtSignature = call.signature;
  return JSON.stringify(part);
}
