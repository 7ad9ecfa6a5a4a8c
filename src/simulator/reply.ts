// Writes a response, whole or as a stream of events, and applies the
// `cut-after:N` fault on the way: after N events (or half a non-stream body)
// the connection is flushed and dropped; `cut-mid-event:N` sends half of
// event N+1 before the drop, so the stream breaks inside an event. Bodies are lists of pieces so cached
// image bytes go to the socket as they are, never copied into a big string.

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { SimError } from './errors.js';

export type Piece = string | Buffer;

function byteLength(piece: Piece): number {
  return typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
}

export class Reply {
  private events = 0;
  private dropped = false;
  /** With `drip:MS`, events wait here and leave one per tick. */
  private readonly queue: Array<{ body: Piece | Piece[] } | { end: Piece | undefined }> = [];
  private dripTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly res: ServerResponse,
    private readonly cutAfter: number | undefined,
    private readonly baseHeaders: OutgoingHttpHeaders,
    private readonly dripMs?: number,
    /** The cut falls inside the event after the cutAfter-th (half of it is sent). */
    private readonly cutMidEvent = false,
  ) {
    res.once('close', () => clearTimeout(this.dripTimer));
  }

  /** True once nothing more may be written: the client left, the stream ended or was cut. */
  get gone(): boolean {
    return this.dropped || this.res.destroyed || this.res.writableEnded;
  }

  /** Sends a complete response with a Content-Length. */
  send(status: number, body: Piece | Piece[], headers: OutgoingHttpHeaders = {}): void {
    if (this.gone) return;
    const pieces = Array.isArray(body) ? body : [body];
    let length = 0;
    for (const piece of pieces) length += byteLength(piece);
    this.res.writeHead(status, { ...this.baseHeaders, ...headers, 'content-length': length });
    if (this.cutAfter === undefined) {
      this.writeAll(pieces);
      this.res.end();
      return;
    }
    // Faulty: half the body, then drop the connection.
    const partial = firstHalf(pieces, length);
    if (partial.length === 0) this.res.flushHeaders();
    this.writeAll(partial);
    this.drop();
  }

  json(status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
    this.send(status, JSON.stringify(value), { 'content-type': 'application/json; charset=utf-8', ...headers });
  }

  error(err: SimError, headers: OutgoingHttpHeaders = {}): void {
    this.json(err.status, err.body, { ...err.headers, ...headers });
  }

  /** Starts a streamed response (chunked). */
  open(status: number, headers: OutgoingHttpHeaders): void {
    if (this.gone) return;
    this.res.writeHead(status, { ...this.baseHeaders, ...headers });
    this.res.flushHeaders();
    if (this.cutAfter === 0 && !this.cutMidEvent) this.drop();
  }

  /** Writes one stream event. Returns false when the producer should stop. */
  event(body: Piece | Piece[]): boolean {
    if (this.gone) return false;
    if (this.dripMs !== undefined) {
      this.enqueue({ body });
      return true;
    }
    return this.writeEvent(body);
  }

  private writeEvent(body: Piece | Piece[]): boolean {
    if (this.cutMidEvent && this.cutAfter !== undefined && this.events >= this.cutAfter) {
      const pieces = Array.isArray(body) ? body : [body];
      let length = 0;
      for (const piece of pieces) length += byteLength(piece);
      this.writeAll(firstHalf(pieces, length));
      this.drop();
      return false;
    }
    if (Array.isArray(body)) this.writeAll(body);
    else this.res.write(body);
    this.events++;
    if (this.cutAfter !== undefined && this.events >= this.cutAfter && !this.cutMidEvent) {
      this.drop();
      return false;
    }
    return true;
  }

  /** Ends a streamed response. */
  end(tail?: Piece): void {
    if (this.gone) return;
    if (this.dripMs !== undefined) return this.enqueue({ end: tail });
    this.finish(tail);
  }

  private finish(tail: Piece | undefined): void {
    // cut-mid-event:N on a stream of exactly N events: no event left to halve, so it is cut before its end.
    if (this.cutMidEvent && this.cutAfter !== undefined && this.events >= this.cutAfter) return this.drop();
    if (tail === undefined) this.res.end();
    else this.res.end(tail);
  }

  private enqueue(item: { body: Piece | Piece[] } | { end: Piece | undefined }): void {
    this.queue.push(item);
    if (this.dripTimer === undefined) this.dripTimer = setTimeout(() => this.drain(), this.dripMs);
  }

  private drain(): void {
    this.dripTimer = undefined;
    const item = this.queue.shift();
    if (!item || this.gone) return;
    if ('end' in item) return this.finish(item.end);
    if (this.writeEvent(item.body) && this.queue.length > 0) this.dripTimer = setTimeout(() => this.drain(), this.dripMs);
  }

  private writeAll(pieces: Piece[]): void {
    if (pieces.length === 1) {
      this.res.write(pieces[0] as Piece);
      return;
    }
    this.res.cork();
    for (const piece of pieces) this.res.write(piece);
    this.res.uncork();
  }

  /** Flushes what was written, then closes the connection mid-response. */
  private drop(): void {
    this.dropped = true;
    const socket = this.res.socket;
    if (socket && !socket.destroyed) socket.destroySoon();
  }
}

/** The first half (rounded down, at least one byte) of `length` bytes of pieces. */
function firstHalf(pieces: Piece[], length: number): Piece[] {
  let budget = Math.max(1, Math.floor(length / 2));
  const partial: Piece[] = [];
  for (const piece of pieces) {
    if (budget <= 0) break;
    const buf = typeof piece === 'string' ? Buffer.from(piece) : piece;
    partial.push(buf.length <= budget ? buf : buf.subarray(0, budget));
    budget -= buf.length;
  }
  return partial;
}
