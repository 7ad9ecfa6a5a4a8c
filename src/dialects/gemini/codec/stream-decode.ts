// Upstream Gemini stream bytes → canonical events. Each response in the stream
// is a GenerateContentResponse holding new parts only; usageMetadata is
// cumulative (every chunk repeats the totals so far), so each one becomes a
// `usage` event and the consumer keeps the last.
import type { StreamDecoder } from '../../canonical/codec.js';
import type { Part, StreamEvent } from '../../canonical/types.js';
import { decodeFinishReason } from './finish-reason.js';
import { newResponseId } from './ids.js';
import { candidateParts, decodeResponsePart } from './response-parts.js';
import { GeminiStreamSplitter } from './stream-splitter.js';
import { decodeUsageMetadata } from './usage-metadata.js';
import { isRec, upstreamErrorOf, type Rec } from './wire.js';

/** `choice` is left out for the first candidate (the events' default). */
function withChoice<E extends StreamEvent>(event: E, choice: number): E {
  if (choice !== 0) (event as { choice?: number }).choice = choice;
  return event;
}

export class GeminiStreamDecoder implements StreamDecoder {
  private readonly splitter = new GeminiStreamSplitter();
  private started = false;
  private failed = false;
  /** Tool calls seen so far, by choice: the next callIndex and whether the choice called tools. */
  private readonly calls = new Map<number, number>();

  push(chunk: Buffer): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const text of this.splitter.push(chunk)) this.response(text, events);
    return events;
  }

  end(): StreamEvent[] {
    const events: StreamEvent[] = [];
    for (const text of this.splitter.end()) this.response(text, events);
    if (this.splitter.truncated && !this.failed) this.fail(events, 'The Gemini stream ended in the middle of a response.');
    return events;
  }

  private fail(events: StreamEvent[], message: string, status = 502): void {
    this.failed = true;
    events.push({ type: 'error', status, message });
  }

  private response(text: string, events: StreamEvent[]): void {
    // Some proxies end Gemini streams OpenAI-style; Google itself never does.
    if (this.failed || text === '[DONE]') return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.fail(events, `Gemini sent a stream chunk that is not JSON: ${text.slice(0, 80)}`);
      return;
    }
    if (!isRec(json)) {
      this.fail(events, 'Gemini sent a stream chunk that is not a JSON object.');
      return;
    }
    if (isRec(json.error)) {
      const err = upstreamErrorOf(json.error);
      this.fail(events, err.message, err.status);
      return;
    }
    if (!this.started) {
      this.started = true;
      events.push({
        type: 'start',
        id: typeof json.responseId === 'string' && json.responseId !== '' ? json.responseId : newResponseId(),
        model: typeof json.modelVersion === 'string' ? json.modelVersion : '',
        created: Math.floor(Date.now() / 1000),
      });
    }
    const candidates = Array.isArray(json.candidates) ? json.candidates : [];
    candidates.forEach((candidate, position) => {
      if (isRec(candidate)) this.candidate(candidate, position, events);
    });
    if (candidates.length === 0) this.blocked(json, events);
    const usage = decodeUsageMetadata(json.usageMetadata);
    if (usage) events.push({ type: 'usage', usage });
  }

  private blocked(json: Rec, events: StreamEvent[]): void {
    const feedback = json.promptFeedback;
    if (isRec(feedback) && typeof feedback.blockReason === 'string' && feedback.blockReason !== '') {
      events.push({ type: 'finish', reason: 'content_filter' });
    }
  }

  private candidate(candidate: Rec, position: number, events: StreamEvent[]): void {
    const choice = typeof candidate.index === 'number' && Number.isInteger(candidate.index) && candidate.index >= 0 ? candidate.index : position;
    for (const raw of candidateParts(candidate)) {
      const part = decodeResponsePart(raw);
      if (part) this.part(part, choice, events);
    }
    if (typeof candidate.finishReason === 'string' && candidate.finishReason !== '') {
      const calledTools = (this.calls.get(choice) ?? 0) > 0;
      events.push(withChoice({ type: 'finish', reason: decodeFinishReason(candidate.finishReason, calledTools) }, choice));
    }
  }

  private part(part: Part, choice: number, events: StreamEvent[]): void {
    switch (part.type) {
      case 'text':
        if (part.text === '' && !part.signature) return;
        events.push(withChoice(part.signature ? { type: 'text', text: part.text, signature: part.signature } : { type: 'text', text: part.text }, choice));
        return;
      case 'thinking':
        if (part.text !== '') events.push(withChoice({ type: 'thinking', text: part.text }, choice));
        if (part.signature) events.push(withChoice({ type: 'thinking_signature', signature: part.signature }, choice));
        return;
      case 'image':
        events.push(withChoice({ ...part, type: 'image' }, choice));
        return;
      case 'tool_call': {
        const callIndex = this.calls.get(choice) ?? 0;
        this.calls.set(choice, callIndex + 1);
        const start: StreamEvent = { type: 'tool_call_start', callIndex, id: part.id, name: part.name };
        if (part.signature) start.signature = part.signature;
        events.push(withChoice(start, choice), withChoice({ type: 'tool_call_delta', callIndex, argumentsDelta: part.arguments }, choice));
        return;
      }
      default:
        return; // audio and files have no stream event
    }
  }
}
