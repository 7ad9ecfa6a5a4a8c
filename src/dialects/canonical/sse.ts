import { StringDecoder } from 'node:string_decoder';

export interface SseFrame {
  /** The `event:` field, when present. */
  event?: string;
  /** The `data:` lines joined by `\n`. */
  data: string;
}

/**
 * Splits an SSE byte stream into frames. Chunks may break anywhere, inside a
 * line or a UTF-8 character; `\n`, `\r\n` and `\r` all end lines (Gemini sends
 * `\r\n\r\n`). Comments (`:`) and frames without data are skipped.
 */
export class SseParser {
  private readonly utf8 = new StringDecoder('utf8');
  private buffered = '';
  private event: string | undefined;
  private data: string[] = [];

  push(chunk: Buffer | string): SseFrame[] {
    this.buffered += typeof chunk === 'string' ? chunk : this.utf8.write(chunk);
    const frames: SseFrame[] = [];
    let start = 0;
    for (;;) {
      const nl = this.nextLineEnd(start);
      if (nl < 0) break;
      const line = this.buffered.slice(start, nl);
      // A lone `\r` at the very end may be the first half of `\r\n`: wait for more.
      start = this.buffered[nl] === '\r' && this.buffered[nl + 1] === '\n' ? nl + 2 : nl + 1;
      this.line(line, frames);
    }
    this.buffered = this.buffered.slice(start);
    return frames;
  }

  /** The stream ended: a last frame not followed by a blank line still counts. */
  end(): SseFrame[] {
    const frames: SseFrame[] = [];
    const rest = this.buffered + this.utf8.end();
    this.buffered = '';
    if (rest) for (const line of rest.split(/\r\n|\r|\n/)) this.line(line, frames);
    this.line('', frames);
    return frames;
  }

  private nextLineEnd(from: number): number {
    for (let i = from; i < this.buffered.length; i++) {
      const c = this.buffered.charCodeAt(i);
      if (c === 10) return i;
      if (c === 13) return i + 1 < this.buffered.length ? i : -1;
    }
    return -1;
  }

  private line(line: string, out: SseFrame[]): void {
    if (line === '') {
      if (this.data.length > 0) out.push(this.event === undefined ? { data: this.data.join('\n') } : { event: this.event, data: this.data.join('\n') });
      this.event = undefined;
      this.data = [];
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' comment
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
  }
}

/** One SSE frame as text. */
export function sseFrame(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}
