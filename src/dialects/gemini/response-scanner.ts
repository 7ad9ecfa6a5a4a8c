// Reads a Gemini answer as it passes — one JSON response, SSE frames or the
// JSON-array stream — and counts the images it holds, telling final images
// from thought images (`"thought": true` on the same part, before or after the
// `inlineData`; Google writes it after). Nothing is kept but a small stack of
// flags: string contents (multi-megabyte base64) are skipped with a native
// Buffer.indexOf, and only short keys and MIME types are read.
//
// It also knows where the stream stands, so a stream that breaks can end with
// an error the client's parser accepts (see errorTail).

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MAX_CAPTURE = 64;
const MAX_DEPTH = 512;

interface Frame {
  array: boolean;
  /** The key whose value comes next (objects only). */
  key: string | undefined;
  expectKey: boolean;
  /** This object is an `inlineData` value. */
  inline: boolean;
  /** inline: its mimeType is image/*. */
  imageMime: boolean;
  /** Image blobs directly in this object (a part). */
  images: number;
  thought: boolean;
}

type StringRole = 'key' | 'mime' | 'skip';

const INLINE_KEYS = new Set(['inlineData', 'inline_data']);
const MIME_KEYS = new Set(['mimeType', 'mime_type']);

export class GeminiResponseScanner {
  /** Images billed: parts with image data and no `thought: true`. */
  finalImages = 0;
  /** Thought images (free). */
  thoughtImages = 0;
  /** Completed elements of a top-level JSON array (the non-SSE stream). */
  arrayElements = 0;
  private readonly stack: Frame[] = [];
  private outermost: 'array' | 'object' | undefined;
  private inString = false;
  private role: StringRole = 'skip';
  /** Backslashes ending the string text seen so far (for an escape split across chunks). */
  private trailingBackslashes = 0;
  private captured = '';
  private gaveUp = false;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.gaveUp) return;
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.inString) {
        i = this.scanString(chunk, i);
        continue;
      }
      const c = chunk[i]!;
      i++;
      switch (c) {
        case 0x7b: // {
          this.open(false);
          break;
        case 0x5b: // [
          this.open(true);
          break;
        case 0x7d: // }
        case 0x5d: // ]
          this.close();
          break;
        case 0x2c: {
          // ,
          const top = this.stack[this.stack.length - 1];
          if (top && !top.array) {
            top.expectKey = true;
            top.key = undefined;
          }
          break;
        }
        case QUOTE:
          this.startString();
          break;
        case 0x20:
        case 0x0a:
        case 0x0d:
        case 0x09:
        case 0x3a: // :
          break;
        default: {
          // A literal (true, false, null, a number) or SSE framing text.
          const top = this.stack[this.stack.length - 1];
          if (top && !top.array && top.key !== undefined) {
            if (top.key === 'thought' && c === 0x74) top.thought = true; // t(rue)
            top.key = undefined;
          }
        }
      }
    }
  }

  /** True when the bytes so far are a JSON array stream stopped between two elements. */
  get betweenArrayElements(): boolean {
    const top = this.stack[0];
    return !this.gaveUp && !this.inString && this.outermost === 'array' && this.stack.length === 1 && top !== undefined && top.array;
  }

  /**
   * What to write after a JSON-array stream broke so the client's parser sees
   * `error`: the error object as the array's last element. Undefined when
   * nothing valid can follow (a whole JSON response, or an element cut in
   * half). SSE streams need no help here: the passthrough sends whole events
   * only, so an error event can always follow (relay/sse-event-boundary.ts).
   */
  arrayErrorTail(errorJson: string): string | undefined {
    if (this.betweenArrayElements) return `${this.arrayElements > 0 ? ',\r\n' : ''}${errorJson}\r\n]`;
    return undefined;
  }

  private open(array: boolean): void {
    const parent = this.stack[this.stack.length - 1];
    let inline = false;
    if (parent && !parent.array) {
      inline = !array && parent.key !== undefined && INLINE_KEYS.has(parent.key);
      parent.key = undefined;
    }
    if (this.stack.length === 0 && this.outermost === undefined) this.outermost = array ? 'array' : 'object';
    if (this.stack.length >= MAX_DEPTH) {
      this.gaveUp = true; // not a Gemini answer; stop reading rather than grow
      return;
    }
    this.stack.push({ array, key: undefined, expectKey: !array, inline, imageMime: false, images: 0, thought: false });
  }

  private close(): void {
    const frame = this.stack.pop();
    if (!frame) return;
    const parent = this.stack[this.stack.length - 1];
    if (frame.inline) {
      if (frame.imageMime && parent) parent.images++;
    } else if (frame.images > 0) {
      if (frame.thought) this.thoughtImages += frame.images;
      else this.finalImages += frame.images;
    }
    if (this.stack.length === 1 && parent?.array && this.outermost === 'array') this.arrayElements++;
  }

  private startString(): void {
    this.inString = true;
    this.trailingBackslashes = 0;
    this.captured = '';
    const top = this.stack[this.stack.length - 1];
    if (top && !top.array && top.expectKey) {
      top.expectKey = false;
      this.role = 'key';
    } else if (top && !top.array && top.inline && top.key !== undefined && MIME_KEYS.has(top.key)) {
      this.role = 'mime';
      top.key = undefined;
    } else {
      this.role = 'skip';
      if (top && !top.array) top.key = undefined;
    }
  }

  /** Skips string text up to its closing quote (natively), keeping short keys and MIME types. */
  private scanString(buf: Buffer, from: number): number {
    let at = from;
    for (;;) {
      const q = buf.indexOf(QUOTE, at);
      if (q === -1) {
        this.keep(buf, from, buf.length);
        this.noteTrailingBackslashes(buf, at, buf.length);
        return buf.length;
      }
      let run = 0;
      while (q - run - 1 >= at && buf[q - run - 1] === BACKSLASH) run++;
      if (q - run === at) run += this.trailingBackslashes;
      if (run % 2 === 1) {
        // An escaped quote: still inside the string.
        this.trailingBackslashes = 0;
        at = q + 1;
        if (at >= buf.length) {
          this.keep(buf, from, buf.length);
          return buf.length;
        }
        continue;
      }
      this.keep(buf, from, q);
      this.endString();
      return q + 1;
    }
  }

  private noteTrailingBackslashes(buf: Buffer, from: number, to: number): void {
    let run = 0;
    while (to - run - 1 >= from && buf[to - run - 1] === BACKSLASH) run++;
    this.trailingBackslashes = to - run === from ? this.trailingBackslashes + run : run;
  }

  private keep(buf: Buffer, from: number, to: number): void {
    if (this.role === 'skip' || to <= from || this.captured.length > MAX_CAPTURE) return;
    this.captured += buf.toString('latin1', from, Math.min(to, from + MAX_CAPTURE + 1));
  }

  private endString(): void {
    this.inString = false;
    const top = this.stack[this.stack.length - 1];
    if (!top || top.array) return;
    const text = this.captured.length > MAX_CAPTURE ? '' : this.captured;
    if (this.role === 'key') top.key = text;
    else if (this.role === 'mime') top.imageMime = text.toLowerCase().startsWith('image/');
  }
}
