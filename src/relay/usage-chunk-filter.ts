// OpenAI chat streams report usage only when the client sets
// `stream_options.include_usage`. The gateway always asks (it bills from it);
// when the client did not, this filter keeps that extra chunk — the one with
// `"choices":[]` — from reaching a client that does not expect it. Frames pass
// on as soon as they are complete; only a partial frame is held back.

const FRAME_END = Buffer.from('\n\n');
const CRLF_FRAME_END = Buffer.from('\r\n\r\n');

/** Where the last complete frame ends (after its blank line), or -1. Some compatible upstreams use CRLF. */
function lastFrameEnd(buf: Buffer): number {
  // The usual chunk is whole frames: it ends with the blank line itself.
  const n = buf.length;
  if (n >= 2 && buf[n - 1] === 0x0a && (buf[n - 2] === 0x0a || (n >= 4 && buf[n - 2] === 0x0d && buf[n - 3] === 0x0a && buf[n - 4] === 0x0d))) return n;
  const lf = buf.lastIndexOf(FRAME_END);
  const crlf = buf.lastIndexOf(CRLF_FRAME_END);
  return Math.max(lf < 0 ? -1 : lf + 2, crlf < 0 ? -1 : crlf + 4);
}

function nextFrameEnd(buf: Buffer, from: number): number {
  const lf = buf.indexOf(FRAME_END, from);
  const crlf = buf.indexOf(CRLF_FRAME_END, from);
  const a = lf < 0 ? Infinity : lf + 2;
  const b = crlf < 0 ? Infinity : crlf + 4;
  const end = Math.min(a, b);
  return end === Infinity ? buf.length : end;
}
const USAGE_ONLY = Buffer.from('"choices":[]');

export class UsageChunkFilter {
  private pending: Buffer | undefined;

  /** The bytes of complete frames in `chunk` (and before it), minus the usage-only chunk. */
  push(chunk: Buffer): Buffer {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    const end = lastFrameEnd(buf);
    if (end < 0) {
      this.pending = buf;
      return EMPTY;
    }
    const complete = end === buf.length ? buf : buf.subarray(0, end);
    this.pending = end < buf.length ? Buffer.from(buf.subarray(end)) : undefined;
    return complete.indexOf(USAGE_ONLY) < 0 ? complete : withoutUsageFrames(complete);
  }

  /** Whatever is left when the stream ends (a last frame without its blank line). */
  end(): Buffer {
    const rest = this.pending ?? EMPTY;
    this.pending = undefined;
    return rest.indexOf(USAGE_ONLY) < 0 ? rest : EMPTY;
  }
}

const EMPTY = Buffer.alloc(0);

function withoutUsageFrames(frames: Buffer): Buffer {
  const kept: Buffer[] = [];
  let start = 0;
  while (start < frames.length) {
    const stop = nextFrameEnd(frames, start);
    const frame = frames.subarray(start, stop);
    if (frame.indexOf(USAGE_ONLY) < 0) kept.push(frame);
    start = stop;
  }
  return kept.length === 1 ? kept[0]! : Buffer.concat(kept);
}
