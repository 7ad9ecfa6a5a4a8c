// An upstream's error answer, re-said in the hub's terms so a converted
// request can show it in the client's dialect: the upstream's own message and
// status, whatever shape it came in (OpenAI, Anthropic, Gemini, or an HTML
// page from a proxy in front of it).
import type { Dispatcher } from 'undici';
import { GatewayError, kindForStatus } from '../dialects/errors.js';

const MAX_ERROR_BYTES = 64 * 1024;

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

/** Reads (a bounded amount of) an upstream error body and turns it into a GatewayError with the same status. */
export async function readUpstreamError(up: Dispatcher.ResponseData): Promise<GatewayError> {
  const status = up.statusCode;
  const retryAfterHeader = Number(up.headers['retry-after']);
  const retryAfter = Number.isFinite(retryAfterHeader) && retryAfterHeader > 0 ? retryAfterHeader : undefined;
  if (status === 401) {
    up.body.dump().catch(() => {});
    // The channel's key was refused, not the client's; providers echo key fragments in this message.
    return new GatewayError('upstream', "The upstream refused this channel's credentials.", { status: 502, code: 'upstream_auth_failed' });
  }
  let text = '';
  try {
    for await (const chunk of up.body) {
      text += (chunk as Buffer).toString('utf8');
      if (text.length > MAX_ERROR_BYTES) break;
    }
  } catch {
    // a broken error body still yields its status
  }
  let parsed: { message?: string; code?: string } = {};
  try {
    parsed = upstreamErrorMessage(JSON.parse(text));
  } catch {
    const plain = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
    if (plain) parsed = { message: plain };
  }
  const message = parsed.message ? `The upstream answered ${status}: ${parsed.message}` : `The upstream answered ${status}.`;
  // 529 (Anthropic overloaded) and other non-standard codes keep their number; dialects map unknown ones by kind.
  return new GatewayError(kindForStatus(status), message, { status, code: parsed.code, retryAfter });
}
