// An upstream answer straight from undici's dispatch (handler) API into the
// relay, without request()'s per-answer Readable stream, its promise wrapper
// and their event and nextTick traffic. The answer looks like request()'s to
// the code that reads it (status, parsed headers, a body); the body is a
// DirectBody that hands each chunk to one sink as the parser produces it,
// with backpressure through undici's pause/resume.
//
// It takes any undici Dispatcher (the default Agent, a channel's proxy agent)
// and the request's own waits. A channel's `total_ms` (a timer over the whole
// body) is not handled here: such requests go through UpstreamClient.request.
import { errors, type Dispatcher } from 'undici';
import type { UpstreamTarget } from '../providers/types.js';
import type { UpstreamTimeouts } from './upstream-client.js';
import { offAbort, onAbort, type UpstreamSignal } from './upstream-signal.js';

/** Where a DirectBody's bytes go. `data` returns false to pause until `DirectBody.resume()`. */
export interface BodySink {
  data(chunk: Buffer): boolean;
  end(): void;
  error(err: Error): void;
}

/** Bytes held while no sink is attached (or it asked for a pause) before the upstream is paused: undici's own default. */
const HIGH_WATER_MARK = 64 * 1024;

const noop = () => {};

/**
 * An upstream answer's body, pushed from undici's parser to a sink. Chunks
 * that arrive before `sendTo` (headers and body usually come in one read) wait
 * in a queue. Also readable with `for await` (error answers) and `text()` /
 * `json()`. Chunks are views of the socket's read buffers, never reused.
 */
export class DirectBody {
  #sink: BodySink | undefined;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  /** The upstream sent all of it. */
  #complete = false;
  #failure: Error | undefined;
  /** end() or error() reached the sink. */
  #settled = false;
  #destroyed = false;
  /** The consumer asked for a pause (its sink returned false). */
  #held = false;
  #controller: Dispatcher.DispatchController;

  constructor(controller: Dispatcher.DispatchController) {
    this.#controller = controller;
  }

  /** From the handler: a chunk. */
  push(chunk: Buffer): void {
    if (this.#destroyed || this.#settled) return;
    if (this.#sink !== undefined && !this.#held && this.#queue.length === 0) {
      if (!this.#sink.data(chunk)) {
        this.#held = true;
        this.#controller.pause();
      }
      return;
    }
    this.#queue.push(chunk);
    this.#queuedBytes += chunk.length;
    if (this.#queuedBytes >= HIGH_WATER_MARK) this.#controller.pause();
  }

  /** From the handler: the answer is complete. */
  complete(): void {
    this.#complete = true;
    if (this.#sink !== undefined && !this.#held && this.#queue.length === 0) this.#end();
  }

  /** From the handler: the answer broke (a reset, a body timeout, an abort). Held chunks are dropped, as a destroyed stream drops them. */
  fail(err: Error): void {
    if (this.#destroyed || this.#settled || this.#failure) return;
    this.#failure = err;
    this.#queue = [];
    this.#queuedBytes = 0;
    // As request()'s body: the error reaches the reader on a later microtask.
    if (this.#sink !== undefined) queueMicrotask(() => this.#error());
  }

  /** Starts delivery to `sink`: held chunks first, then the rest as it comes. */
  sendTo(sink: BodySink): void {
    if (this.#sink !== undefined) throw new Error('an upstream body has one reader');
    this.#sink = sink;
    this.#drain();
  }

  /** The sink can take more after it returned false. */
  resume(): void {
    if (this.#sink === undefined || !this.#held) return;
    this.#held = false;
    this.#drain();
  }

  /** Stops reading: the upstream request is aborted, nothing more is delivered. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.#queue = [];
    this.#queuedBytes = 0;
    if (!this.#complete && this.#failure === undefined) this.#controller.abort(new errors.RequestAbortedError());
  }

  async text(): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this) chunks.push(chunk);
    return Buffer.concat(chunks).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let full = false;
    let done = false;
    let failure: Error | undefined;
    let wake: () => void = noop;
    this.sendTo({
      data: (chunk) => {
        chunks.push(chunk);
        bytes += chunk.length;
        wake();
        // A slow reader pauses the upstream, as a Readable's iterator would.
        full = bytes >= HIGH_WATER_MARK;
        return !full;
      },
      end: () => {
        done = true;
        wake();
      },
      error: (err) => {
        failure = err;
        wake();
      },
    });
    return {
      next: async () => {
        while (chunks.length === 0 && !done && failure === undefined) await new Promise<void>((r) => (wake = r));
        wake = noop;
        if (chunks.length > 0) {
          const chunk = chunks.shift()!;
          bytes -= chunk.length;
          if (full && bytes < HIGH_WATER_MARK) {
            full = false;
            this.resume();
          }
          return { value: chunk, done: false };
        }
        if (failure !== undefined) throw failure;
        return { value: undefined, done: true };
      },
      return: async () => {
        this.destroy();
        return { value: undefined, done: true };
      },
    };
  }

  #drain(): void {
    const sink = this.#sink!;
    while (this.#queue.length > 0 && !this.#destroyed) {
      const chunk = this.#queue.shift()!;
      this.#queuedBytes -= chunk.length;
      if (!sink.data(chunk)) {
        this.#held = true;
        return;
      }
    }
    if (this.#destroyed || this.#settled) return;
    if (this.#failure !== undefined) this.#error();
    else if (this.#complete) this.#end();
    else if (this.#controller.paused) this.#controller.resume();
  }

  #end(): void {
    if (this.#settled || this.#destroyed) return;
    this.#settled = true;
    this.#sink!.end();
  }

  #error(): void {
    if (this.#settled || this.#destroyed) return;
    this.#settled = true;
    this.#sink!.error(this.#failure!);
  }
}

/** The request's waits: first byte and idle (the channel's, else the dispatcher's defaults). */
export type DispatchTimeouts = Partial<Pick<UpstreamTimeouts, 'firstByteMs' | 'idleMs'>>;

/**
 * Sends one request through `dispatcher` and resolves at the answer's headers,
 * as undici's request() does (1xx answers skipped, headers parsed the same
 * way), with a DirectBody. Rejects on a failure before the headers, including
 * the client leaving (`signal`); after them, failures reach the body's sink.
 */
export function dispatchUpstream(
  dispatcher: Dispatcher,
  target: UpstreamTarget,
  body: Buffer | undefined,
  method: 'GET' | 'POST',
  signal: UpstreamSignal,
  timeouts: DispatchTimeouts = {},
): Promise<Dispatcher.ResponseData> {
  return new Promise((resolve, reject) => {
    const handler = new DirectHandler(resolve, reject, signal);
    if (signal.aborted) {
      reject(new errors.RequestAbortedError());
      return;
    }
    onAbort(signal, handler.onAbort);
    dispatcher.dispatch(
      {
        origin: target.origin,
        path: target.path,
        method,
        headers: target.headers,
        body,
        headersTimeout: timeouts.firstByteMs,
        bodyTimeout: timeouts.idleMs,
      },
      handler,
    );
  });
}

class DirectHandler implements Dispatcher.DispatchHandler {
  #controller: Dispatcher.DispatchController | undefined;
  #body: DirectBody | undefined;
  #done = false;

  constructor(
    private readonly resolve: (answer: Dispatcher.ResponseData) => void,
    private readonly reject: (err: Error) => void,
    private readonly signal: UpstreamSignal,
  ) {}

  /** The client left: abort the upstream request (before the headers: reject; after: the body fails). */
  readonly onAbort = () => {
    this.#controller?.abort(new errors.RequestAbortedError());
  };

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.signal.aborted) controller.abort(new errors.RequestAbortedError());
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: Record<string, string | string[] | undefined>, statusText?: string): void {
    if (statusCode < 200) return; // informational: the answer follows
    const body = new DirectBody(controller);
    this.#body = body;
    this.resolve({
      statusCode,
      statusText: statusText ?? '',
      headers,
      trailers: {},
      opaque: null,
      // The parts of request()'s body the relay reads on a passthrough answer (see DirectBody).
      body: body as unknown as Dispatcher.ResponseData['body'],
      context: {},
    });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#body!.push(chunk);
  }

  onResponseEnd(): void {
    this.#finish();
    this.#body!.complete();
  }

  onResponseError(_controller: Dispatcher.DispatchController, err: Error): void {
    this.#finish();
    if (this.#body) this.#body.fail(err);
    else this.reject(err);
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    offAbort(this.signal, this.onAbort);
  }
}


/** Whether an upstream answer's body came from dispatchUpstream. */
export function isDirectBody(body: unknown): body is DirectBody {
  return body instanceof DirectBody;
}
