// Counts the characters of generated text that reached the client, for the
// client-abort rule (bill the prompt plus what was delivered when the upstream
// never reported usage). It looks for the string values of the keys dialects
// use for text — OpenAI `"content"`, Anthropic and Gemini `"text"`, thinking —
// as bytes pass, without holding them.

const KEYS = ['"content":"', '"text":"', '"thinking":"', '"reasoning_content":"', '"partial_json":"', '"arguments":"'].map((k) =>
  Buffer.from(k, 'latin1'),
);
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export class DeliveredTextCounter {
  chars = 0;
  private inString = false;
  private escaped = false;
  private carry: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    let buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    let i = 0;
    while (i < buf.length) {
      if (this.inString) {
        for (; i < buf.length; i++) {
          const c = buf[i]!;
          if (this.escaped) {
            this.escaped = false;
            this.chars++;
          } else if (c === BACKSLASH) this.escaped = true;
          else if (c === QUOTE) {
            this.inString = false;
            i++;
            break;
          } else if ((c & 0xc0) !== 0x80) this.chars++; // count code points, not UTF-8 continuation bytes
        }
        continue;
      }
      let next = -1;
      let keyLen = 0;
      for (const key of KEYS) {
        const at = buf.indexOf(key, i);
        if (at !== -1 && (next === -1 || at < next)) {
          next = at;
          keyLen = key.length;
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
