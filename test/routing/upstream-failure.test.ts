// Classification of upstream error answers: first against the simulator's
// real answers over HTTP (keys containing `invalid` / `nocredit`, faults),
// then against bodies real providers send that the simulator does not make.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  classifyUpstreamFailure,
  failureFlavor,
  isRetryable,
  setsKeyAside,
} from '../../src/routing/upstream-failure.js';
import type { FailureFlavor, UpstreamFailureKind } from '../../src/routing/upstream-failure.js';
import { startSimulator } from '../../src/simulator/index.js';
import type { RunningSimulator } from '../../src/simulator/index.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, journal: false });
});
afterAll(() => sim.close());

interface Call {
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

const calls: Record<'openai' | 'anthropic' | 'gemini', (key: string, opts?: { fault?: string; body?: unknown }) => Call> = {
  openai: (key, o = {}) => ({
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${key}`, ...(o.fault ? { 'x-sim-fault': o.fault } : {}) },
    body: o.body ?? { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
  }),
  anthropic: (key, o = {}) => ({
    path: '/v1/messages',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', ...(o.fault ? { 'x-sim-fault': o.fault } : {}) },
    body: o.body ?? { model: 'claude-sonnet-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] },
  }),
  gemini: (key, o = {}) => ({
    path: '/v1beta/models/gemini-2.5-flash:generateContent',
    headers: { 'x-goog-api-key': key, ...(o.fault ? { 'x-sim-fault': o.fault } : {}) },
    body: o.body ?? { contents: [{ parts: [{ text: 'hi' }] }] },
  }),
};

async function answer(call: Call) {
  const res = await fetch(`${sim.url}${call.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...call.headers },
    body: JSON.stringify(call.body),
  });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}

interface Row {
  name: string;
  flavor: FailureFlavor;
  call: Call;
  status: number;
  kind: UpstreamFailureKind;
  code?: string;
  reason?: RegExp;
}

const rows: Row[] = [
  // Bad keys
  { name: 'OpenAI invalid key', flavor: 'openai', call: calls.openai('sk-invalid-0123456789'), status: 401, kind: 'key_invalid', code: 'invalid_api_key', reason: /^upstream 401 invalid_api_key: Incorrect API key provided/ },
  { name: 'Anthropic invalid key', flavor: 'anthropic', call: calls.anthropic('sk-ant-invalid'), status: 401, kind: 'key_invalid', code: 'authentication_error', reason: /invalid x-api-key/ },
  { name: 'Gemini invalid key', flavor: 'gemini', call: calls.gemini('AIza-invalid'), status: 400, kind: 'key_invalid', code: 'API_KEY_INVALID', reason: /^upstream 400 API_KEY_INVALID: API key not valid/ },
  { name: 'Gemini missing key', flavor: 'gemini', call: calls.gemini(''), status: 403, kind: 'key_invalid', reason: /unregistered callers/ },
  // Out of credit
  { name: 'OpenAI insufficient_quota', flavor: 'openai', call: calls.openai('sk-nocredit'), status: 429, kind: 'key_no_credit', code: 'insufficient_quota', reason: /exceeded your current quota/ },
  { name: 'Anthropic credit balance too low', flavor: 'anthropic', call: calls.anthropic('sk-ant-nocredit'), status: 400, kind: 'key_no_credit', reason: /credit balance is too low/ },
  { name: 'Gemini daily quota spent', flavor: 'gemini', call: calls.gemini('AIza-nocredit'), status: 429, kind: 'key_no_credit', code: 'RESOURCE_EXHAUSTED' },
  // Rate limits
  { name: 'OpenAI 429', flavor: 'openai', call: calls.openai('sk-ok', { fault: '429' }), status: 429, kind: 'rate_limited', code: 'rate_limit_exceeded' },
  { name: 'Anthropic 429', flavor: 'anthropic', call: calls.anthropic('sk-ant-ok', { fault: '429' }), status: 429, kind: 'rate_limited', code: 'rate_limit_error' },
  { name: 'Gemini 429', flavor: 'gemini', call: calls.gemini('AIza-ok', { fault: '429' }), status: 429, kind: 'rate_limited', code: 'RESOURCE_EXHAUSTED' },
  // Server side
  { name: 'OpenAI 500', flavor: 'openai', call: calls.openai('sk-ok', { fault: '500' }), status: 500, kind: 'server' },
  { name: 'OpenAI 503', flavor: 'openai', call: calls.openai('sk-ok', { fault: '503' }), status: 503, kind: 'server' },
  { name: 'Anthropic 529 overloaded', flavor: 'anthropic', call: calls.anthropic('sk-ant-ok', { fault: '529' }), status: 529, kind: 'server', code: 'overloaded_error' },
  { name: 'Gemini 503', flavor: 'gemini', call: calls.gemini('AIza-ok', { fault: '503' }), status: 503, kind: 'server', code: 'UNAVAILABLE' },
  { name: 'Gemini 408', flavor: 'gemini', call: calls.gemini('AIza-ok', { fault: '408' }), status: 408, kind: 'server' },
  // The request's own fault
  { name: 'OpenAI unknown model', flavor: 'openai', call: calls.openai('sk-ok', { body: { model: 'gpt-nonexistent', messages: [{ role: 'user', content: 'hi' }] } }), status: 404, kind: 'client', code: 'model_not_found' },
  { name: 'OpenAI 400 fault', flavor: 'openai', call: calls.openai('sk-ok', { fault: '400' }), status: 400, kind: 'client' },
  { name: 'Anthropic missing max_tokens', flavor: 'anthropic', call: calls.anthropic('sk-ant-ok', { body: { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] } }), status: 400, kind: 'client', code: 'invalid_request_error' },
  { name: 'Anthropic 413', flavor: 'anthropic', call: calls.anthropic('sk-ant-ok', { fault: '413' }), status: 413, kind: 'client' },
  {
    name: 'Gemini bad aspect ratio',
    flavor: 'gemini',
    call: {
      path: '/v1beta/models/gemini-2.5-flash-image:generateContent',
      headers: { 'x-goog-api-key': 'AIza-ok' },
      body: { contents: [{ parts: [{ text: 'a cat' }] }], generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '7:3' } } },
    },
    status: 400,
    kind: 'client',
    code: 'INVALID_ARGUMENT',
  },
  { name: 'Gemini 422 fault', flavor: 'gemini', call: calls.gemini('AIza-ok', { fault: '422' }), status: 422, kind: 'client' },
  // Vertex: a token the simulator never issued
  {
    name: 'Vertex refused token',
    flavor: 'vertex',
    call: {
      path: '/v1/projects/p1/locations/global/publishers/google/models/gemini-2.5-flash:generateContent',
      headers: { authorization: 'Bearer ya29.not-issued' },
      body: { contents: [{ parts: [{ text: 'hi' }] }] },
    },
    status: 401,
    kind: 'key_invalid',
    code: 'ACCESS_TOKEN_TYPE_UNSUPPORTED',
  },
];

describe('classification of the simulator’s real answers', () => {
  it.each(rows)('$name → $kind', async (row) => {
    const a = await answer(row.call);
    expect(a.status).toBe(row.status);
    const failure = classifyUpstreamFailure(row.flavor, a)!;
    expect(failure.kind).toBe(row.kind);
    expect(failure.status).toBe(row.status);
    if (row.code) expect(failure.code).toBe(row.code);
    if (row.reason) expect(failure.reason).toMatch(row.reason);
    expect(failure.reason.length).toBeLessThanOrEqual(300);
    expect(failure.reason).toMatch(new RegExp(`^upstream ${row.status}`));
  });

  it('reads the wait from retry-after and from Gemini’s RetryInfo', async () => {
    const openai = classifyUpstreamFailure('openai', await answer(calls.openai('sk-ok', { fault: '429' })))!;
    expect(openai.retryAfterMs).toBe(1000);
    const gemini = await answer(calls.gemini('AIza-ok', { fault: '429' }));
    delete gemini.headers['retry-after'];
    expect(classifyUpstreamFailure('gemini', gemini)!.retryAfterMs).toBe(1000);
  });

  it('the simulator channel type answers in the request’s dialect', async () => {
    const a = await answer(calls.anthropic('sk-ant-nocredit'));
    expect(classifyUpstreamFailure(failureFlavor('simulator', 'anthropic'), a)!.kind).toBe('key_no_credit');
    // Read as OpenAI's, the same 400 is just a bad request: the flavor matters.
    expect(classifyUpstreamFailure(failureFlavor('simulator', 'openai'), a)!.kind).toBe('client');
  });
});

const gemini429 = (quotaId: string, message = 'You exceeded your current quota, please check your plan and billing details.') =>
  JSON.stringify({
    error: {
      code: 429,
      message,
      status: 'RESOURCE_EXHAUSTED',
      details: [
        { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId }] },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '29s' },
      ],
    },
  });

describe('classification of bodies the simulator does not make', () => {
  const table: Array<[string, FailureFlavor, number, string, UpstreamFailureKind]> = [
    ['Gemini per-minute quota (same wording as a spent one)', 'gemini', 429, gemini429('GenerateRequestsPerMinutePerProjectPerModel-FreeTier'), 'rate_limited'],
    ['Gemini per-day quota', 'gemini', 429, gemini429('GenerateRequestsPerDayPerProjectPerModel-FreeTier'), 'key_no_credit'],
    ['Gemini prepaid credits depleted', 'gemini', 429, JSON.stringify({ error: { code: 429, message: 'Your prepayment credits are depleted. Please go to AI Studio to manage your project and billing.', status: 'RESOURCE_EXHAUSTED' } }), 'key_no_credit'],
    ['Gemini suspended consumer', 'gemini', 403, JSON.stringify({ error: { code: 403, message: "Permission denied: Consumer 'api_key:AIza…' has been suspended.", status: 'PERMISSION_DENIED', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'CONSUMER_SUSPENDED' }] } }), 'key_invalid'],
    ['Gemini 403 on a file (not the key)', 'gemini', 403, JSON.stringify({ error: { code: 403, message: 'You do not have permission to access the File abc or it may not exist.', status: 'PERMISSION_DENIED' } }), 'client'],
    ['Gemini stream error wrapped in an array', 'gemini', 400, JSON.stringify([{ error: { code: 400, message: 'API key expired. Please renew the API key.', status: 'INVALID_ARGUMENT', details: [{ reason: 'API_KEY_INVALID' }] } }]), 'key_invalid'],
    ['Vertex service account lacks permission', 'vertex', 403, JSON.stringify({ error: { code: 403, message: "Permission 'aiplatform.endpoints.predict' denied on resource", status: 'PERMISSION_DENIED' } }), 'key_invalid'],
    ['Vertex billing disabled', 'vertex', 403, JSON.stringify({ error: { code: 403, message: 'This API method requires billing to be enabled.', status: 'PERMISSION_DENIED', details: [{ reason: 'BILLING_DISABLED' }] } }), 'key_no_credit'],
    ['Vertex 429', 'vertex', 429, JSON.stringify({ error: { code: 429, message: 'Resource exhausted. Please try again later.', status: 'RESOURCE_EXHAUSTED' } }), 'rate_limited'],
    ['Vertex 400', 'vertex', 400, JSON.stringify({ error: { code: 400, message: 'Request contains an invalid argument.', status: 'INVALID_ARGUMENT' } }), 'client'],
    ['DeepSeek 402 insufficient balance', 'openai', 402, JSON.stringify({ error: { message: 'Insufficient Balance', type: 'unknown_error', param: null, code: 'invalid_request_error' } }), 'key_no_credit'],
    ['OpenRouter 402', 'openai', 402, JSON.stringify({ error: { message: 'Insufficient credits', code: 402 } }), 'key_no_credit'],
    ['OpenAI deactivated account', 'openai', 403, JSON.stringify({ error: { message: 'Your account is not active.', type: 'invalid_request_error', code: 'account_deactivated' } }), 'key_invalid'],
    ['OpenAI unsupported region', 'openai', 403, JSON.stringify({ error: { code: 'unsupported_country_region_territory', message: 'Country, region, or territory not supported', type: 'request_forbidden' } }), 'client'],
    ['OpenAI billing hard limit', 'openai', 429, JSON.stringify({ error: { message: 'Billing hard limit has been reached', type: 'insufficient_quota', code: 'billing_hard_limit_reached' } }), 'key_no_credit'],
    ['relay (new-api) out of quota, in Chinese', 'openai', 403, JSON.stringify({ error: { message: '该令牌额度已用尽', type: 'new_api_error' } }), 'key_no_credit'],
    ['Google’s OpenAI-compatible endpoint, per-minute', 'openai', 429, JSON.stringify([JSON.parse(gemini429('GenerateRequestsPerMinutePerProjectPerModel'))]), 'rate_limited'],
    ['Anthropic billing_error', 'anthropic', 402, JSON.stringify({ type: 'error', error: { type: 'billing_error', message: 'Payment required' } }), 'key_no_credit'],
    ['Anthropic permission_error', 'anthropic', 403, JSON.stringify({ type: 'error', error: { type: 'permission_error', message: 'not allowed' } }), 'client'],
    ['an HTML page from a proxy', 'openai', 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'server'],
    ['an empty 401', 'anthropic', 401, '', 'key_invalid'],
  ];

  it.each(table)('%s', (_name, flavor, status, body, kind) => {
    const f = classifyUpstreamFailure(flavor, { status, body })!;
    expect(f.kind).toBe(kind);
    expect(f.reason).toMatch(new RegExp(`^upstream ${status}`));
  });

  it('keeps a readable reason from odd bodies and never throws', () => {
    expect(classifyUpstreamFailure('openai', { status: 502, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' })!.reason).toBe('upstream 502: 502 Bad Gateway');
    expect(classifyUpstreamFailure('openai', { status: 500, body: 'x'.repeat(100_000) })!.reason.length).toBe(300);
    for (const body of ['null', '[]', '[1]', '"str"', '{"error":null}', '{"error":{"message":5,"details":"no"}}', '{"error":{"details":[null,1,{"violations":[null]}]}}']) {
      expect(classifyUpstreamFailure('gemini', { status: 429, body })!.kind).toBe('rate_limited');
    }
    expect(classifyUpstreamFailure('gemini', { status: 429, body: undefined, headers: { 'retry-after': ['7'] } })!.retryAfterMs).toBe(7000);
    expect(classifyUpstreamFailure('openai', { status: 200, body: '{}' })).toBeUndefined();
    expect(classifyUpstreamFailure('openai', { status: Number.NaN })).toBeUndefined();
  });

  it('says which kinds fail over and which set a key aside', () => {
    expect(['key_invalid', 'key_no_credit', 'rate_limited', 'server'].every((k) => isRetryable(k as UpstreamFailureKind))).toBe(true);
    expect(isRetryable('client')).toBe(false);
    expect(setsKeyAside('key_invalid') && setsKeyAside('key_no_credit')).toBe(true);
    expect(setsKeyAside('rate_limited') || setsKeyAside('server') || setsKeyAside('client')).toBe(false);
    expect(failureFlavor('openai-compatible', 'anthropic')).toBe('openai');
    expect(failureFlavor('vertex', 'gemini')).toBe('vertex');
  });
});
