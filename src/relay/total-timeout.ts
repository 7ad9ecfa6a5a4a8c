// A channel's `total_ms`: one timer over the whole upstream request, streamed
// body included. undici aborts with the signal's `reason`, so a deadline that
// passes before the headers rejects the request with UpstreamTotalTimeout and
// one that passes mid-body destroys the body with it — the same 'error' an
// idle timeout raises, so the relay ends the stream the same way.
import { EventEmitter } from 'node:events';
import type { Dispatcher } from 'undici';
import { offAbort, onAbort, type UpstreamSignal } from './upstream-signal.js';

export class UpstreamTotalTimeout extends Error {
  readonly code = 'WS_UPSTREAM_TOTAL_TIMEOUT';
  constructor(readonly ms: number) {
    super(`the channel's total timeout (${ms} ms) passed`);
    this.name = 'UpstreamTotalTimeout';
  }
}

/** An UpstreamAbort that carries why it fired (undici reads `reason`). */
class DeadlineAbort extends EventEmitter {
  aborted = false;
  reason: Error | undefined;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

/**
 * Runs `send` with a signal that fires when the client's does or when `ms`
 * pass, whichever is first. The timer ends with the response body (or the
 * failure); only channels that set `total_ms` pay for it.
 */
export async function withinTotal(
  ms: number,
  clientSignal: UpstreamSignal,
  send: (signal: UpstreamSignal) => Promise<Dispatcher.ResponseData>,
): Promise<Dispatcher.ResponseData> {
  const own = new DeadlineAbort();
  const onClientAbort = () => own.abort();
  const timer = setTimeout(() => {
    own.reason = new UpstreamTotalTimeout(ms);
    own.abort();
  }, ms);
  timer.unref();
  if (clientSignal.aborted) own.abort();
  else onAbort(clientSignal, onClientAbort);
  const done = () => {
    clearTimeout(timer);
    offAbort(clientSignal, onClientAbort);
  };
  try {
    const up = await send(own);
    up.body.once('close', done);
    return up;
  } catch (err) {
    done();
    throw err;
  }
}
