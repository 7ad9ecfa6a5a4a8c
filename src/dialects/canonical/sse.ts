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
 *
 * Linear in the stream size: each chunk's characters are scanned once, and an
 * unfinished line is kept as a list of pieces joined once when it ends, so a
 * 20 MB image line arriving in 64 KB chunks is never rescanned nor recopied.
 */
export class SseParser {
  private readonly utf8 = new StringDecoder('utf8');
  /** Pieces of the line not yet ended. */
  private partial: string[] = [];
  /** The last chunk ended on `\r`: a `\n` opening the next one belongs to it. */
  private afterCr = false;
  private event: string | undefined;
  private data: string[] = [];

  push(chunk: Buffer | string): SseFrame[] {
    const text = typeof chunk === 'string' ? chunk : this.utf8.write(chunk);
    const frames: SseFrame[] = [];
    let start = 0;
    if (this.afterCr && text.length > 0) {
      this.afterCr = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    // Native indexOf finds line ends; each position is searched for again only once passed.
    let lf = text.indexOf('\n', start);
    let cr = text.indexOf('\r', start);
    for (;;) {
      if (lf >= 0 && lf < start) lf = text.indexOf('\n', start);
      if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
      const i = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (i < 0) break;
      this.endLine(text.slice(start, i), frames);
      start = i + 1;
      if (i === cr) {
        if (start === text.length) this.afterCr = true;
        else if (lf === start) start++;
      }
    }
    if (start < text.length) this.partial.push(text.slice(start));
    return frames;
  }

  /** The stream ended: a last frame not followed by a blank line still counts. */
  end(): SseFrame[] {
    const frames: SseFrame[] = [];
    const rest = this.utf8.end();
    if (rest) this.push(rest).forEach((f) => frames.push(f));
    if (this.partial.length > 0) this.endLine('', frames);
    this.line('', frames);
    this.afterCr = false;
    return frames;
  }

  private endLine(tail: string, out: SseFrame[]): void {
    let line = tail;
    if (this.partial.length > 0) {
      this.partial.push(tail);
      line = this.partial.join('');
      this.partial = [];
    }
    this.line(line, out);
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
