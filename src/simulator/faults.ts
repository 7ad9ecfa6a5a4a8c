// Fault injection, chosen per request by the `x-sim-fault` header or a model
// suffix (`gemini-2.5-flash-image@fault=429`), comma-separated to combine:
//
//   429 | 500 | 503 | any 4xx/5xx  answer with that status in the provider's error shape
//   reset           destroy the connection (RST) before any byte
//   stall[:MS]      send nothing (not even headers) for MS ms, then close; bare: until the client leaves
//   latency:MS      delay the whole response by MS ms, then answer normally
//   cut-after:N     stream N events then drop the connection; non-stream: headers
//                   and half the body, then drop
//   cut-mid-event:N stream N whole events, then the first half of the next one
//                   (inside its `data:` line), then drop; non-stream: as cut-after
//   drip:MS         stream events MS ms apart (a slow model; for abort and
//                   held-stream tests)
//   fail-nth:K:STATUS[:LABEL]
//                   only the K-th request carrying this same fault string
//                   answers STATUS; the others are served normally (partial
//                   failures among parallel calls). One counter per string.

export interface FaultPlan {
  status?: number;
  reset?: boolean;
  /** Infinity: stall until the client gives up. */
  stallMs?: number;
  latencyMs?: number;
  cutAfter?: number;
  /** `cut-mid-event`: the cut falls inside event N+1 (half of it is sent) instead of after event N. */
  cutMidEvent?: boolean;
  dripMs?: number;
  /** `fail-nth` items: the server counts requests per `key` and fails the `nth` with `status`. */
  failNth?: FailNth[];
}

export interface FailNth {
  /** The fault item as written (lowercased): requests carrying the same string share a counter. */
  key: string;
  nth: number;
  status: number;
}

const MAX_DELAY_MS = 10 * 60 * 1000;

function delay(value: string | undefined, name: string): number {
  const ms = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(ms) || ms < 0 || ms > MAX_DELAY_MS) {
    throw new Error(`${name} needs a delay in ms between 0 and ${MAX_DELAY_MS}`);
  }
  return ms;
}

/** `K:STATUS[:LABEL]`; the label only tells counters apart (one per test, say). */
function failNth(item: string, arg: string | undefined): FailNth {
  const [k, status, ...label] = (arg ?? '').split(':');
  const nth = Number(k);
  if (!k || !Number.isInteger(nth) || nth < 1) throw new Error('fail-nth needs K:STATUS, K a whole number from 1');
  if (!status || !/^[45]\d\d$/.test(status)) throw new Error('fail-nth needs K:STATUS, STATUS a 4xx or 5xx code');
  if (label.length > 1 || label[0] === '') throw new Error('fail-nth takes at most one label after the status');
  return { key: item, nth, status: Number(status) };
}

/** Parses a fault spec into `into`; returns an error message for a spec it cannot read. */
export function parseFaults(spec: string, into: FaultPlan = {}): string | undefined {
  for (const raw of spec.split(',')) {
    const item = raw.trim().toLowerCase();
    if (!item) continue;
    const colon = item.indexOf(':');
    const name = colon === -1 ? item : item.slice(0, colon);
    const arg = colon === -1 ? undefined : item.slice(colon + 1);
    try {
      if (/^[45]\d\d$/.test(name) && arg === undefined) into.status = Number(name);
      else if (name === 'reset' && arg === undefined) into.reset = true;
      else if (name === 'stall') into.stallMs = arg === undefined ? Infinity : delay(arg, 'stall');
      else if (name === 'latency') into.latencyMs = delay(arg, 'latency');
      else if (name === 'drip') into.dripMs = delay(arg, 'drip');
      else if (name === 'cut-after' || name === 'cut-mid-event') {
        const n = Number(arg);
        if (!Number.isInteger(n) || n < 0) throw new Error(`${name} needs a whole number of events`);
        into.cutAfter = n;
        into.cutMidEvent = name === 'cut-mid-event';
      } else if (name === 'fail-nth') (into.failNth ??= []).push(failNth(item, arg));
      else throw new Error('expected one of 429, 500, 503, reset, stall:MS, latency:MS, cut-after:N, cut-mid-event:N, drip:MS, fail-nth:K:STATUS');
    } catch (err) {
      return `simulator: bad fault "${item}": ${(err as Error).message}`;
    }
  }
  return undefined;
}

const SUFFIX = '@fault=';

/** Splits `model@fault=spec` into the model name and the fault spec. */
export function splitModelFault(model: string): { model: string; fault: string | undefined } {
  const at = model.indexOf(SUFFIX);
  if (at === -1) return { model, fault: undefined };
  return { model: model.slice(0, at), fault: model.slice(at + SUFFIX.length) };
}
