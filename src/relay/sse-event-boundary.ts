// Where SSE events end, for a passthrough that forwards only whole events: if
// the upstream breaks mid-event, the client has nothing of that event, so the
// gateway's error event starts on a boundary instead of being glued onto half
// a `data:` line (which the client's SDK would fail to parse as JSON).
//
// An event ends at a blank line. The boundaries are the ones the official SDK
// parsers split on: `\n\n`, `\r\r` and `\r\n\r\n` (openai and
// @anthropic-ai/sdk `findDoubleNewlineIndex`, @google/genai's delimiters).
//
// Hot path: an upstream chunk usually ends on a boundary and nothing waits;
// then it passes as it is, after a look at its last bytes (no search, no copy).

const LF = 0x0a;
const CR = 0x0d;
const LF_LF = Buffer.from('\n\n');
const CR_CR = Buffer.from('\r\r');
const CRLF_CRLF = Buffer.from('\r\n\r\n');
const EMPTY = Buffer.alloc(0);

/** A carry this small is copied, so it does not keep the socket's read buffer alive; a longer one (an image event) is kept as it is. */
const COPY_BELOW = 16 * 1024;
/**
 * The most of one event held back. A longer event (a Gemini image over
 * alt=sse is megabytes) streams through as it comes rather than sitting whole
 * in memory per stream; if the upstream breaks inside it, the client has half
 * an event and the passthrough must cut the connection (`midEvent`).
 */
const HOLD_LIMIT = 1024 * 1024;

/** True when `buf` ends with the blank line that ends an event. */
export function endsOnEventBoundary(buf: Buffer): boolean {
  const n = buf.length;
  if (n < 2) return false;
  const last = buf[n - 1];
  const before = buf[n - 2];
  if (last === CR) return before === CR;
  return last === LF && (before === LF || (before === CR && n >= 4 && buf[n - 3] === LF && buf[n - 4] === CR));
}

/** The offset just after the last event boundary in `buf`, or -1 when it holds none. */
export function lastEventEnd(buf: Buffer): number {
  if (endsOnEventBoundary(buf)) return buf.length;
  const lf = buf.lastIndexOf(LF_LF);
  const cr = buf.lastIndexOf(CR_CR);
  const crlf = buf.lastIndexOf(CRLF_CRLF);
  return Math.max(lf < 0 ? -1 : lf + 2, cr < 0 ? -1 : cr + 2, crlf < 0 ? -1 : crlf + 4);
}

/** The offset just after the first event boundary at or after `from`, or `buf.length` when none follows (a last event without its blank line). */
export function nextEventEnd(buf: Buffer, from: number): number {
  const lf = buf.indexOf(LF_LF, from);
  const cr = buf.indexOf(CR_CR, from);
  const crlf = buf.indexOf(CRLF_CRLF, from);
  const end = Math.min(lf < 0 ? Infinity : lf + 2, cr < 0 ? Infinity : cr + 2, crlf < 0 ? Infinity : crlf + 4);
  return end === Infinity ? buf.length : end;
}

/**
 * Splits an SSE byte stream into whole events as chunks arrive: `push` gives
 * back the bytes of the events a chunk completes, the rest waits for the next
 * chunk. Bytes come out in order and unchanged; `end` gives back what waits
 * (the upstream ended without a last blank line), `drop` forgets it (a break).
 */
export class SseEventBoundary {
  /** Bytes after the last boundary, waiting for the rest of their event. */
  private held: Buffer[] | undefined;
  private heldBytes = 0;
  /** The last bytes passed on while streaming an event longer than HOLD_LIMIT through: where a boundary may begin. */
  private passedTail: Buffer | undefined;

  /** Part of an event longer than HOLD_LIMIT has been passed on: the client holds half an event until its end comes. */
  get midEvent(): boolean {
    return this.passedTail !== undefined;
  }

  /** The whole events `chunk` completes, with the bytes that waited for it; `chunk` itself when it ends on a boundary and nothing waited. */
  push(chunk: Buffer): Buffer {
    if (chunk.length === 0) return EMPTY;
    if (this.passedTail !== undefined) return this.passThrough(chunk);
    const held = this.held;
    if (held === undefined) {
      const end = lastEventEnd(chunk);
      if (end === chunk.length) return chunk;
      this.hold(end < 0 ? chunk : chunk.subarray(end));
      return end <= 0 ? EMPTY : chunk.subarray(0, end);
    }
    let end = lastEventEnd(chunk);
    if (end < 0) end = this.boundaryAcross(held, chunk);
    if (end < 0) {
      if (this.heldBytes + chunk.length > HOLD_LIMIT) return this.startPassing(held, chunk);
      this.hold(chunk);
      return EMPTY;
    }
    held.push(end === chunk.length ? chunk : chunk.subarray(0, end));
    const events = Buffer.concat(held, this.heldBytes + end);
    this.held = undefined;
    this.heldBytes = 0;
    if (end < chunk.length) this.hold(chunk.subarray(end));
    return events;
  }

  /** The stream ended: what waits goes out as the upstream sent it. */
  end(): Buffer {
    const held = this.held;
    this.held = undefined;
    this.heldBytes = 0;
    if (held === undefined) return EMPTY;
    return held.length === 1 ? held[0]! : Buffer.concat(held);
  }

  /** The stream broke: the half event that waits is never sent. */
  drop(): void {
    this.held = undefined;
    this.heldBytes = 0;
  }

  /** An event outgrew HOLD_LIMIT: what waited and `chunk` go out now, and the rest of the event as it comes. */
  private startPassing(held: Buffer[], chunk: Buffer): Buffer {
    held.push(chunk);
    const out = Buffer.concat(held, this.heldBytes + chunk.length);
    this.held = undefined;
    this.heldBytes = 0;
    this.passedTail = tailOf(out);
    return out;
  }

  /** Streaming a long event through: until its boundary comes, each chunk goes out as it is. */
  private passThrough(chunk: Buffer): Buffer {
    let end = lastEventEnd(chunk);
    if (end < 0) end = this.boundaryAcross([this.passedTail!], chunk);
    if (end < 0) {
      this.passedTail = tailOf(chunk, this.passedTail);
      return chunk;
    }
    this.passedTail = undefined;
    if (end < chunk.length) this.hold(chunk.subarray(end));
    return end === chunk.length ? chunk : chunk.subarray(0, end);
  }

  private hold(piece: Buffer): void {
    if (piece.length === 0) return;
    (this.held ??= []).push(piece.length < COPY_BELOW ? Buffer.from(piece) : piece);
    this.heldBytes += piece.length;
  }

  /** A boundary begun in the held bytes and finished in the chunk's first three (`\r\n` + `\r\n`, `\n` + `\n`…): its end in the chunk, or -1. */
  private boundaryAcross(held: Buffer[], chunk: Buffer): number {
    const window: number[] = [];
    for (let p = held.length - 1; p >= 0 && window.length < 3; p--) {
      const piece = held[p]!;
      for (let i = piece.length - 1; i >= 0 && window.length < 3; i--) window.unshift(piece[i]!);
    }
    const tail = window.length;
    for (let i = 0; i < 3 && i < chunk.length; i++) window.push(chunk[i]!);
    const end = lastEventEnd(Buffer.from(window));
    return end > tail ? end - tail : -1;
  }
}

/** A copy of the last three bytes of `before` + `buf`: enough to see a boundary split across chunks. */
function tailOf(buf: Buffer, before?: Buffer): Buffer {
  if (buf.length >= 3 || before === undefined) return Buffer.from(buf.subarray(Math.max(0, buf.length - 3)));
  const joined = Buffer.concat([before, buf]);
  return Buffer.from(joined.subarray(joined.length - 3));
}
