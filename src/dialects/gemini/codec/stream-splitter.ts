// Splits a Gemini stream body into the JSON text of each response it holds:
// SSE `data:` frames (`?alt=sse`), the elements of a streamed JSON array (no
// `alt`), or one bare JSON object (an error body). The first significant byte
// tells which.
//
// Linear in the bytes, whatever the chunking: a 20 MB image frame arriving in
// 64 KB chunks is searched with native indexOf once and copied once when it
// completes (a string-buffer parser that rescans its buffer per chunk is
// quadratic there). Bytes are decoded to text per whole frame, so a UTF-8
// character split across chunks is never broken.

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

type Mode = 'unknown' | 'sse' | 'array' | 'object';

/** Native search that remembers its last hit, so many short lines in one chunk stay linear. */
class ByteFinder {
  private chunk: Buffer | undefined;
  private searchedFrom = 0;
  private at = -1;

  constructor(private readonly byte: number) {}

  /** Forget the last chunk (a caller may reuse a Buffer with new bytes). */
  reset(): void {
    this.chunk = undefined;
  }

  /** The first `byte` at or after `from`, or -1. */
  next(chunk: Buffer, from: number): number {
    // Searching from s found `at` (or nothing): nothing lies in [s, at), so the hit stands for any from in [s, at].
    if (chunk === this.chunk && from >= this.searchedFrom && (this.at === -1 || this.at >= from)) return this.at;
    this.chunk = chunk;
    this.searchedFrom = from;
    this.at = chunk.indexOf(this.byte, from);
    return this.at;
  }
}

export class GeminiStreamSplitter {
  private mode: Mode = 'unknown';
  /** Bytes of the line (SSE) or element (array, object) not finished yet. */
  private pieces: Buffer[] = [];
  /** The stream ended in the middle of a JSON array element, or before the array closed. */
  truncated = false;

  // SSE state
  private dataLines: string[] = [];
  /** The previous chunk ended in `\r`: a `\n` starting this one belongs to it. */
  private skipLf = false;
  private readonly lf = new ByteFinder(LF);
  private readonly cr = new ByteFinder(CR);

  // JSON array state
  private depth = 0;
  private inString = false;
  /** A backslash ended the previous chunk inside a string. */
  private escapePending = false;
  private inElement = false;
  private closed = false;
  private readonly quote = new ByteFinder(QUOTE);
  private readonly backslash = new ByteFinder(BACKSLASH);

  push(chunk: Buffer): string[] {
    const out: string[] = [];
    if (chunk.length === 0) return out;
    for (const finder of [this.lf, this.cr, this.quote, this.backslash]) finder.reset();
    let from = 0;
    if (this.mode === 'unknown') {
      while (from < chunk.length && isSpace(chunk[from]!)) from++;
      if (from === chunk.length) return out;
      const first = chunk[from]!;
      this.mode = first === 0x5b ? 'array' : first === 0x7b ? 'object' : 'sse';
    }
    if (this.mode === 'sse') this.pushSse(chunk, from, out);
    else if (this.mode === 'array') this.pushArray(chunk, from, out);
    else this.pieces.push(from === 0 ? chunk : chunk.subarray(from));
    return out;
  }

  end(): string[] {
    const out: string[] = [];
    if (this.mode === 'sse') {
      if (this.pieces.length > 0) this.line(this.take(), out);
      this.line(Buffer.alloc(0), out);
    } else if (this.mode === 'array') {
      if (this.inElement || !this.closed) this.truncated = true;
      this.pieces = [];
    } else if (this.mode === 'object') {
      const text = this.take().toString('utf8');
      if (text.trim() !== '') out.push(text);
    }
    return out;
  }

  private take(last?: Buffer): Buffer {
    if (last) this.pieces.push(last);
    const whole = this.pieces.length === 1 ? this.pieces[0]! : Buffer.concat(this.pieces);
    this.pieces = [];
    return whole;
  }

  private pushSse(chunk: Buffer, from: number, out: string[]): void {
    let start = from;
    if (this.skipLf) {
      this.skipLf = false;
      if (chunk[start] === LF) start++;
    }
    while (start < chunk.length) {
      const lf = this.lf.next(chunk, start);
      const cr = this.cr.next(chunk, start);
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      if (end === -1) {
        this.pieces.push(chunk.subarray(start));
        return;
      }
      const line = this.pieces.length > 0 ? this.take(chunk.subarray(start, end)) : chunk.subarray(start, end);
      this.line(line, out);
      start = end + 1;
      if (chunk[end] === CR) {
        if (start === chunk.length) this.skipLf = true;
        else if (chunk[start] === LF) start++;
      }
    }
  }

  private line(line: Buffer, out: string[]): void {
    if (line.length === 0) {
      if (this.dataLines.length > 0) out.push(this.dataLines.length === 1 ? this.dataLines[0]! : this.dataLines.join('\n'));
      this.dataLines = [];
      return;
    }
    if (line[0] === COLON) return; // comment
    const colon = line.indexOf(COLON);
    const name = line.toString('latin1', 0, colon === -1 ? line.length : colon);
    if (name !== 'data') return; // event:, id:, retry: carry nothing Gemini uses
    let valueStart = colon === -1 ? line.length : colon + 1;
    if (line[valueStart] === 0x20) valueStart++;
    this.dataLines.push(line.toString('utf8', valueStart));
  }

  private pushArray(chunk: Buffer, from: number, out: string[]): void {
    let i = from;
    let elementStart = this.inElement ? from : -1;
    const n = chunk.length;
    while (i < n && !this.closed) {
      if (this.inString) {
        if (this.escapePending) {
          this.escapePending = false;
          i++;
          continue;
        }
        const q = this.quote.next(chunk, i);
        const b = this.backslash.next(chunk, i);
        if (b !== -1 && (q === -1 || b < q)) {
          if (b + 1 >= n) this.escapePending = true;
          i = b + 2;
          continue;
        }
        if (q === -1) {
          i = n;
          break;
        }
        this.inString = false;
        i = q + 1;
        continue;
      }
      const c = chunk[i]!;
      if (c === QUOTE) this.inString = true;
      else if (c === 0x7b || c === 0x5b) {
        this.depth++;
        if (this.depth === 2) {
          this.inElement = true;
          elementStart = i;
        }
      } else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 1 && this.inElement) {
          out.push(this.take(chunk.subarray(elementStart, i + 1)).toString('utf8'));
          this.inElement = false;
          elementStart = -1;
        } else if (this.depth <= 0) {
          this.closed = true;
        }
      }
      i++;
    }
    if (this.inElement && elementStart !== -1) this.pieces.push(chunk.subarray(elementStart));
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === LF || c === CR || c === 0x09 || c === 0xef || c === 0xbb || c === 0xbf;
}
