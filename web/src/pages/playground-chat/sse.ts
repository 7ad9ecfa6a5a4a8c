// An incremental server-sent-events decoder: feed it text as it arrives
// (chunks may split lines, even a "\r\n" pair), get back each complete event.
// Follows the WHATWG rules the chat streams need: data lines joined by "\n",
// one optional space after the colon, comments and unknown fields ignored.

export interface SseEvent {
  /** The `event:` field, when the stream names one (Anthropic, OpenAI Responses). */
  event?: string;
  data: string;
}

export class SseDecoder {
  #buffer = '';
  #data: string[] = [];
  #event: string | undefined;

  /** Events completed by this chunk, in order. */
  push(chunk: string): SseEvent[] {
    this.#buffer += chunk;
    const out: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.#buffer.length; i++) {
      const c = this.#buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      // A "\r" at the very end may be the first half of "\r\n": wait for more.
      if (c === '\r' && i === this.#buffer.length - 1) break;
      this.#line(this.#buffer.slice(start, i), out);
      if (c === '\r' && this.#buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    this.#buffer = this.#buffer.slice(start);
    return out;
  }

  /** The stream ended: a last event not followed by a blank line still counts. */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.#buffer) this.#line(this.#buffer.replace(/\r$/, ''), out);
    this.#buffer = '';
    this.#line('', out);
    return out;
  }

  #line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.#data.length > 0) out.push({ ...(this.#event !== undefined && { event: this.#event }), data: this.#data.join('\n') });
      this.#data = [];
      this.#event = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
  }
}
