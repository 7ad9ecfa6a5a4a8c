// What an upstream error answer means for routing: the key is bad, the key is
// out of credit, the upstream is busy or broken, or the request itself was
// refused. Each provider says "bad key" and "no credit" its own way (a Gemini
// bad key is a 400, an Anthropic empty balance is a 400 too), so the status
// alone cannot tell; the bounded error body can.
import type { DialectName } from '../dialects/types.js';

export type UpstreamFailureKind =
  /** The key (or service account) is refused: set it aside, try elsewhere. */
  | 'key_invalid'
  /** The key's account has no credit or its quota is used up: set it aside, try elsewhere. */
  | 'key_no_credit'
  /** A 429 that will pass: the key's breaker counts it, try elsewhere. */
  | 'rate_limited'
  /** 5xx or 408: the channel's breaker counts it, try elsewhere. */
  | 'server'
  /** Any other 4xx: the request's own fault; never retried, never counted. */
  | 'client';

/** Which provider's conventions to read the answer by. */
export type FailureFlavor = 'openai' | 'anthropic' | 'gemini' | 'vertex';

export interface UpstreamAnswer {
  status: number;
  /** Response headers (lower-case names, as undici gives them). */
  headers?: Record<string, string | string[] | undefined>;
  /** The start of the error body as text; only the first ERROR_TEXT_LIMIT characters are read. */
  body?: string;
}

export interface UpstreamFailure {
  kind: UpstreamFailureKind;
  status: number;
  /** The provider's own code when it gave one (`invalid_api_key`, `RESOURCE_EXHAUSTED`, `API_KEY_INVALID`…). */
  code?: string;
  /** One line to store as a key's status_reason or show as a breaker's last error. */
  reason: string;
  /** From `retry-after` or Gemini's RetryInfo, when the upstream said. */
  retryAfterMs?: number;
}

/** How much of an error body is worth reading: every provider's error fits well inside. */
export const ERROR_TEXT_LIMIT = 16 * 1024;
const REASON_LIMIT = 300;

/** The flavor of a channel type; the simulator (and any multi-dialect type) answers in the request's dialect. */
export function failureFlavor(channelType: string, dialect: DialectName): FailureFlavor {
  switch (channelType) {
    case 'anthropic':
    case 'gemini':
    case 'vertex':
    case 'openai':
      return channelType;
    case 'openai-compatible':
      return 'openai';
    default:
      return dialect;
  }
}

/** Kinds that move on to the next candidate (everything but the client's own error). */
export function isRetryable(kind: UpstreamFailureKind): boolean {
  return kind !== 'client';
}

/** Kinds that set the key aside until an operator enables it again. */
export function setsKeyAside(kind: UpstreamFailureKind): boolean {
  return kind === 'key_invalid' || kind === 'key_no_credit';
}

/** Classifies an error answer; undefined for a status below 400 (not a failure). */
export function classifyUpstreamFailure(flavor: FailureFlavor, answer: UpstreamAnswer): UpstreamFailure | undefined {
  const status = answer.status;
  if (!Number.isInteger(status) || status < 400) return undefined;
  const facts = readErrorBody(typeof answer.body === 'string' ? answer.body.slice(0, ERROR_TEXT_LIMIT) : '');
  const kind = kindOf(flavor, status, facts);
  const retryAfterMs = retryAfterHeader(answer.headers?.['retry-after']) ?? facts.retryDelayMs;
  const failure: UpstreamFailure = { kind, status, reason: reasonText(status, facts) };
  if (facts.code) failure.code = facts.code;
  if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  return failure;
}

function kindOf(flavor: FailureFlavor, status: number, f: ErrorFacts): UpstreamFailureKind {
  if (status === 408 || status >= 500) return 'server';
  switch (flavor) {
    case 'openai':
      return openaiKind(status, f);
    case 'anthropic':
      return anthropicKind(status, f);
    case 'gemini':
      return geminiKind(status, f);
    case 'vertex':
      return vertexKind(status, f);
  }
}

// Only explicit wording: a key wrongly set aside stays out until an operator
// acts, a rate limit wrongly assumed costs one breaker cooldown.
const NO_CREDIT_TEXT = /insufficient[ _](quota|balance|credits?|funds)|credit balance is too low|billing[ _]hard[ _]limit|credits? (are|is|have been) (depleted|exhausted)|out of credits?|额度不足|余额不足|额度已用尽/i;
const BAD_KEY_TEXT = /(invalid|incorrect|expired|revoked|disabled|deactivated|suspended|unknown) (api[ _-]?)?(key|token)|api[ _-]?key (not valid|is invalid|expired|invalid)|account[ _](deactivated|disabled|suspended)/i;

// OpenAI and the OpenAI-compatible crowd (DeepSeek, OpenRouter, one-api/new-api relays…).
function openaiKind(status: number, f: ErrorFacts): UpstreamFailureKind {
  if (status === 401) return 'key_invalid';
  if (status === 402) return 'key_no_credit';
  if (status === 429) {
    // Google's OpenAI-compatible endpoint answers with Google's error shape.
    if (f.codes.has('RESOURCE_EXHAUSTED')) return googleQuotaSpent(f) ? 'key_no_credit' : 'rate_limited';
    const spent = f.codes.has('insufficient_quota') || f.codes.has('billing_hard_limit_reached') || NO_CREDIT_TEXT.test(f.message);
    return spent ? 'key_no_credit' : 'rate_limited';
  }
  if (status === 403) {
    // 403 is usually the request (region, model access); relays also use it for a dead or empty key.
    if (NO_CREDIT_TEXT.test(f.message)) return 'key_no_credit';
    if (f.codes.has('account_deactivated') || f.codes.has('invalid_api_key') || BAD_KEY_TEXT.test(f.message)) return 'key_invalid';
  }
  return 'client';
}

function anthropicKind(status: number, f: ErrorFacts): UpstreamFailureKind {
  if (status === 401 || f.codes.has('authentication_error')) return 'key_invalid';
  if (status === 402 || f.codes.has('billing_error')) return 'key_no_credit';
  // An empty balance is a 400 invalid_request_error: only the message tells.
  if (status === 400 && /credit balance is too low/i.test(f.message)) return 'key_no_credit';
  return status === 429 ? 'rate_limited' : 'client';
}

const GOOGLE_BAD_KEY_REASONS = new Set([
  'API_KEY_INVALID',
  'API_KEY_EXPIRED',
  'API_KEY_SERVICE_BLOCKED',
  'API_KEY_HTTP_REFERRER_BLOCKED',
  'API_KEY_IP_ADDRESS_BLOCKED',
  'API_KEY_ANDROID_APP_BLOCKED',
  'API_KEY_IOS_APP_BLOCKED',
  'CONSUMER_SUSPENDED',
  'CONSUMER_INVALID',
  'SERVICE_DISABLED',
  'ACCESS_TOKEN_EXPIRED',
  'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
]);
const GOOGLE_BAD_KEY_TEXT = /api key not valid|api key expired|unregistered callers|consumer .* (has been )?suspended|permission denied: consumer|api_key:|api key.*(blocked|disabled|suspended)|generative language api has not been used/i;

function googleBadKey(f: ErrorFacts): boolean {
  for (const reason of f.reasons) if (GOOGLE_BAD_KEY_REASONS.has(reason)) return true;
  return GOOGLE_BAD_KEY_TEXT.test(f.message);
}

// A Gemini 429 says "You exceeded your current quota" both for a per-minute
// limit and for a spent daily or prepaid quota; the QuotaFailure's quotaId
// tells them apart.
function googleQuotaSpent(f: ErrorFacts): boolean {
  if (f.quotaIds.some((id) => /per_?day/i.test(id))) return true;
  return /credits? (are|is|have been) depleted|prepayment|billing (account|is) (disabled|not active)/i.test(f.message);
}

function geminiKind(status: number, f: ErrorFacts): UpstreamFailureKind {
  if (status === 401) return 'key_invalid';
  if ((status === 400 || status === 403) && googleBadKey(f)) return 'key_invalid';
  if (status === 403 && f.reasons.has('BILLING_DISABLED')) return 'key_no_credit';
  if (status === 429) return googleQuotaSpent(f) ? 'key_no_credit' : 'rate_limited';
  return 'client';
}

// Vertex keys are service accounts: a 401 or 403 is the account's, whatever the body.
function vertexKind(status: number, f: ErrorFacts): UpstreamFailureKind {
  if (status === 403 && f.reasons.has('BILLING_DISABLED')) return 'key_no_credit';
  if (status === 401 || status === 403) return 'key_invalid';
  if (status === 429) return googleQuotaSpent(f) ? 'key_no_credit' : 'rate_limited';
  return 'client';
}

// ---- reading an error body of any shape ----

interface ErrorFacts {
  message: string;
  /** The most specific code for the reason text. */
  code?: string;
  /** Every code-like field: error.code, error.type, error.status, top-level type. */
  codes: Set<string>;
  /** google.rpc.ErrorInfo reasons. */
  reasons: Set<string>;
  /** google.rpc.QuotaFailure quotaIds and metrics. */
  quotaIds: string[];
  retryDelayMs?: number;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Rec) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function readErrorBody(text: string): ErrorFacts {
  const facts: ErrorFacts = { message: '', codes: new Set(), reasons: new Set(), quotaIds: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // A proxy's HTML page or plain text: keep its words.
    facts.message = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return facts;
  }
  // Gemini's streaming routes wrap the error in an array.
  const top = rec(Array.isArray(parsed) ? parsed[0] : parsed);
  if (!top) return facts;
  const error = rec(top.error);
  const source = error ?? top;
  facts.message = str(source.message) ?? str(top.error_description) ?? str(top.error) ?? str(top.message) ?? '';
  const code = str(source.code);
  const type = str(source.type);
  const googleStatus = str(source.status);
  for (const c of [code, type, googleStatus, str(top.type) === 'error' ? undefined : str(top.type), str(top.error)]) if (c) facts.codes.add(c);
  const details = Array.isArray(source.details) ? source.details : [];
  let reason: string | undefined;
  for (const d of details) {
    const detail = rec(d);
    if (!detail) continue;
    const r = str(detail.reason);
    if (r) {
      facts.reasons.add(r);
      reason ??= r;
    }
    for (const v of Array.isArray(detail.violations) ? detail.violations : []) {
      const violation = rec(v);
      const id = str(violation?.quotaId) ?? str(violation?.quota_id);
      if (id) facts.quotaIds.push(id);
    }
    const delay = str(detail.retryDelay) ?? str(detail.retry_delay);
    if (delay && /^\d+(\.\d+)?s$/.test(delay)) facts.retryDelayMs = Math.round(parseFloat(delay) * 1000);
  }
  // The most telling code first: an ErrorInfo reason, then OpenAI's code, Anthropic's type, Google's status.
  facts.code = reason ?? code ?? type ?? googleStatus ?? str(top.error);
  return facts;
}

function reasonText(status: number, f: ErrorFacts): string {
  let head = f.code ? `upstream ${status} ${f.code}` : `upstream ${status}`;
  // Which quota ran out (per minute or per day) is what an operator needs to know.
  if (f.quotaIds.length > 0) head += ` [${f.quotaIds[0]}]`;
  const line = f.message ? `${head}: ${f.message.replace(/\s+/g, ' ').trim()}` : head;
  return line.length > REASON_LIMIT ? `${line.slice(0, REASON_LIMIT - 1)}…` : line;
}

function retryAfterHeader(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
