import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Client request headers that describe the body or the API version, never identity. */
const FORWARD = ['content-type', 'accept', 'anthropic-version', 'anthropic-beta', 'openai-beta'] as const;

export function forwardRequestHeaders(headers: IncomingHttpHeaders, toSimulator: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARD) {
    const v = headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  // We read usage from the body as it passes, so it must arrive uncompressed.
  out['accept-encoding'] = 'identity';
  // Fault injection is a test-only conversation with the simulator.
  if (toSimulator && typeof headers['x-sim-fault'] === 'string') out['x-sim-fault'] = headers['x-sim-fault'];
  return out;
}

/** Upstream response headers the client may see. */
const PASS_BACK = ['content-type', 'content-length', 'retry-after', 'content-disposition'] as const;

export function responseHeadersFromUpstream(headers: Record<string, string | string[] | undefined>): OutgoingHttpHeaders {
  const out: Record<string, string | string[]> = {};
  for (const name of PASS_BACK) {
    const v = headers[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}
