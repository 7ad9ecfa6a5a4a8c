// Finds every `"<key>": { … }` object in a byte stream as it passes, without
// holding the stream: only the bytes of a matched object are kept, plus a few
// bytes of carry-over so a key split across chunks is still seen. Works the same
// for a JSON body, an SSE stream or Gemini's JSON-array stream, and costs one
// native Buffer.indexOf per chunk on multi-megabyte image payloads.

const OPEN = 0x7b; // {
const CLOSE = 0x7d; // }
const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;

/** Objects larger than this are not usage blocks; give up on them. */
const MAX_OBJECT_BYTES = 64 * 1024;

const EMPTY = Buffer.alloc(0);
// A sniffer is made per request: its key's bytes are made once per key.
const patterns = new Map<string, Buffer>();

function patternFor(key: string): Buffer {
  let pattern = patterns.get(key);
  if (pattern === undefined) {
    pattern = Buffer.from(`"${key}"`, 'latin1');
    if (patterns.size < 64) patterns.set(key, pattern);
  }
  return pattern;
}

/**
 * A copy of the longest tail of `buf[from..]` that is a proper prefix of
 * `pattern` (a key split across chunks starts there), else EMPTY. Bodies end
 * in `}`, `]` or a blank line, so the usual answer is EMPTY: no allocation.
 */
function keyStartAtEnd(buf: Buffer, from: number, pattern: Buffer): Buffer {
  const end = buf.length;
  for (let k = Math.min(pattern.length - 1, end - from); k > 0; k--) {
    let j = 0;
    while (j < k && buf[end - k + j] === pattern[j]) j++;
    // Copy: the caller may reuse the chunk's memory after push returns.
    if (j === k) return Buffer.from(buf.subarray(end - k));
  }
  return EMPTY;
}

export class JsonObjectSniffer {
  private readonly pattern: Buffer;
  private carry: Buffer = EMPTY;
  // Capture state: null when not inside a matched object.
  private capture: Buffer[] | null = null;
  private captureBytes = 0;
  private awaitingBrace = false;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(
    key: string,
    private readonly onObject: (value: unknown) => void,
  ) {
    this.pattern = patternFor(key);
  }

  push(chunk: Buffer): void {
    let buf = chunk;
    let pos = 0;
    if (this.carry.length > 0) {
      const seamBytes = this.pattern.length - 1;
      if (chunk.length < seamBytes) {
        buf = Buffer.concat([this.carry, chunk]); // a tiny chunk: the copy is free
      } else {
        // Look for a key split across the seam in carry + the chunk's first bytes
        // only: copying whole chunks here cost more than the search itself on
        // multi-megabyte image answers.
        const seam = Buffer.concat([this.carry, chunk.subarray(0, seamBytes)]);
        const hit = seam.indexOf(this.pattern);
        if (hit !== -1) {
          pos = hit + this.pattern.length - this.carry.length;
          this.awaitingBrace = true;
        }
      }
      this.carry = EMPTY;
    }
    while (pos < buf.length) {
      if (this.capture !== null || this.awaitingBrace) {
        pos = this.consumeObject(buf, pos);
        continue;
      }
      const hit = buf.indexOf(this.pattern, pos);
      if (hit === -1) {
        // Keep a tail that could be the start of a split key.
        this.carry = keyStartAtEnd(buf, pos, this.pattern);
        return;
      }
      pos = hit + this.pattern.length;
      this.awaitingBrace = true;
    }
  }

  /** Skips `: ` then reads a balanced object, across chunks. Returns the next position. */
  private consumeObject(buf: Buffer, start: number): number {
    let i = start;
    if (this.awaitingBrace) {
      while (i < buf.length) {
        const c = buf[i]!;
        if (c === OPEN) break;
        // Only whitespace and one colon may sit between key and object.
        if (c !== 0x3a && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
          this.awaitingBrace = false; // the key held something other than an object
          return i;
        }
        i++;
      }
      if (i >= buf.length) return i;
      this.awaitingBrace = false;
      this.capture = [];
      this.captureBytes = 0;
      this.depth = 0;
      this.inString = false;
      this.escaped = false;
    }
    const from = i;
    // Locals, not fields, in the per-byte loop; written back when it stops.
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    const end = buf.length;
    for (; i < end; i++) {
      const c = buf[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        continue;
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN) depth++;
      else if (c === CLOSE && --depth === 0) {
        this.depth = 0;
        this.inString = false;
        this.escaped = false;
        const capture = this.capture!;
        this.capture = null;
        // The usual case: the whole object sat in this chunk, decoded in place.
        if (capture.length === 0) this.emit(buf.toString('utf8', from, i + 1));
        else {
          capture.push(buf.subarray(from, i + 1));
          this.emit(Buffer.concat(capture).toString('utf8'));
        }
        return i + 1;
      }
    }
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.captureBytes += i - from;
    if (this.captureBytes > MAX_OBJECT_BYTES) {
      this.capture = null; // not a usage block; stop holding it
      return i;
    }
    // Copy: the caller may reuse the chunk's memory after push returns.
    this.capture!.push(Buffer.from(buf.subarray(from, i)));
    return i;
  }

  private emit(text: string): void {
    try {
      this.onObject(JSON.parse(text));
    } catch {
      // A look-alike that is not JSON (e.g. inside escaped text): ignore it.
    }
  }
}
