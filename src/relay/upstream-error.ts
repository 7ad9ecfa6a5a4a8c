// An upstream's error answer in the hub's terms. Converted requests show the
// upstream's own message and status in the client's dialect, whatever shape
// it came in (OpenAI, Anthropic, Gemini, or an HTML page from a proxy in
// front of it). Passthrough requests pass a JSON error on verbatim, except
// what the client must never see (below).
import { GatewayError, kindForStatus } from '../dialects/errors.js';
import type { UpstreamErrorAnswer } from './failover.js';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);

/** The message an error body carries, in any of the three dialects' shapes. */
export function upstreamErrorMessage(body: unknown): { message?: string; code?: string } {
  const top = rec(Array.isArray(body) ? body[0] : body);
  const error = rec(top?.error);
  if (error) {
    const message = typeof error.message === 'string' ? error.message : undefined;
    const code = typeof error.code === 'string' ? error.code : typeof error.status === 'string' ? error.status : typeof error.type === 'string' ? error.type : undefined;
    return { message, code };
  }
  if (typeof top?.message === 'string') return { message: top.message };
  if (typeof top?.error === 'string') return { message: top.error };
  return {};
}

function retryAfterOf(answer: UpstreamErrorAnswer): number | undefined {
  const seconds = Number(answer.headers['retry-after']);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** The channel's key was refused, not the client's; providers echo key fragments in that message. */
function credentialsRefused(): GatewayError {
  return new GatewayError('upstream', "The upstream refused this channel's credentials.", { status: 502, code: 'upstream_auth_failed' });
}

function plainText(body: Buffer): string {
  return body.subarray(0, 4000).toString('utf8').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** Any upstream error answer as a GatewayError with the same status (401 excepted). */
export function upstreamError(answer: UpstreamErrorAnswer): GatewayError {
  const { status } = answer;
  if (status === 401) return credentialsRefused();
  let parsed: { message?: string; code?: string };
  try {
    parsed = upstreamErrorMessage(JSON.parse(answer.body.toString('utf8')));
  } catch {
    const plain = plainText(answer.body);
    parsed = plain ? { message: plain } : {};
  }
  const message = parsed.message ? `The upstream answered ${status}: ${parsed.message}` : `The upstream answered ${status}.`;
  // 529 (Anthropic overloaded) and other non-standard codes keep their number; dialects map unknown ones by kind.
  return new GatewayError(kindForStatus(status), message, { status, code: parsed.code, retryAfter: retryAfterOf(answer) });
}

/**
 * For a same-dialect answer: the error to re-say instead of passing the body
 * on — a 401 (never shown) or a body that is not JSON (an HTML page) — or
 * undefined when the body can go to the client as it is.
 */
export function passthroughOwnError(answer: UpstreamErrorAnswer): GatewayError | undefined {
  if (answer.status === 401) return credentialsRefused();
  const contentType = String(answer.headers['content-type'] ?? '');
  if (contentType.includes('json') || contentType.includes('event-stream')) return undefined;
  const plain = plainText(answer.body);
  return new GatewayError(kindForStatus(answer.status), `The upstream answered ${answer.status}${plain ? `: ${plain}` : ''}.`, {
    status: answer.status,
    retryAfter: retryAfterOf(answer),
  });
}
