// Counts the characters of generated text that reached the client, for the
// client-abort rule (bill the prompt plus what was delivered when the upstream
// never reported usage). It looks for the string values of the keys dialects
// use for text — OpenAI `"content"`, Anthropic and Gemini `"text"`, thinking —
// in the bytes that passed. The count is only read when a stream ended without
// usage (the client left, the upstream broke), so small chunks are held until
// BATCH_BYTES of them wait and then scanned at once: a whole short stream
// costs one scan only if its count is asked for, and nothing otherwise.
// Scanning the chunks joined gives the same count as one by one (the scan
// carries its state, and a key's possible start, across chunk boundaries).

const KEYS = ['"content":"', '"text":"', '"thinking":"', '"reasoning_content":"', '"partial_json":"', '"arguments":"'].map((k) =>
  Buffer.from(k, 'latin1'),
);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Not searched yet (below every position). */
const UNKNOWN = -2;

/** Small chunks wait until this many bytes of them can be scanned together. */
const BATCH_BYTES = 8 * 1024;

export class DeliveredTextCounter {
  private counted = 0;
  private inString = false;
  private escaped = false;
  private carry: Buffer = Buffer.alloc(0);
  /** Chunks not scanned yet; the relay never reuses a chunk's memory once written. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (chunk.length >= BATCH_BYTES) {
      this.flush();
      this.scan(chunk);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= BATCH_BYTES) this.flush();
  }

  /** Characters of text delivered so far. */
  get chars(): number {
    this.flush();
    return this.counted;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.scan(buf);
  }

  private scan(chunk: Buffer): void {
    let buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    let i = 0;
    // Where each key occurs next at or after i (-1: nowhere), kept across the
    // loop so a long buffer is searched once per key, not once per string.
    const found = KEYS.map(() => UNKNOWN);
    while (i < buf.length) {
      if (this.inString) {
        for (; i < buf.length; i++) {
          const c = buf[i]!;
          if (this.escaped) {
            this.escaped = false;
            this.counted++;
          } else if (c === BACKSLASH) this.escaped = true;
          else if (c === QUOTE) {
            this.inString = false;
            i++;
            break;
          } else if ((c & 0xc0) !== 0x80) this.counted++; // count code points, not UTF-8 continuation bytes
        }
        continue;
      }
      let next = -1;
      let keyLen = 0;
      for (let k = 0; k < KEYS.length; k++) {
        let at = found[k]!;
        if (at !== -1 && at < i) found[k] = at = buf.indexOf(KEYS[k]!, i);
        if (at !== -1 && (next === -1 || at < next)) {
          next = at;
          keyLen = KEYS[k]!.length;
        }
      }
      if (next === -1) {
        // A key may straddle chunks: keep its possible start.
        const keep = Math.min(24, buf.length - i);
        this.carry = Buffer.from(buf.subarray(buf.length - keep));
        return;
      }
      i = next + keyLen;
      this.inString = true;
    }
  }

  /** About four characters a token, the usual rule of thumb for billing estimates. */
  get tokens(): number {
    return Math.ceil(this.chars / 4);
  }
}
