// Google's OAuth token endpoint for service accounts (the RFC 7523 JWT-bearer
// grant): POST a form with `grant_type` and a signed `assertion`; the JWT is
// checked as Google does — RS256, a known issuer, the signature against that
// account's registered public key, the audience, the scope and its lifetime —
// and answered with `{access_token, expires_in, token_type}`, or refused in
// Google's OAuth error shape `{error, error_description}`.

import { verify } from 'node:crypto';
import type { SimContext } from './context.js';
import type { SimError } from './errors.js';
import type { ServiceAccounts } from './service-accounts.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/** Paths the token endpoint answers on: wherever a key file's token_uri points. */
export const TOKEN_PATHS = new Set(['/token', '/oauth2/token', '/oauth2/v4/token']);

/** Google's own token URIs, accepted as an audience besides our own URL. */
const GOOGLE_AUDIENCES = ['https://oauth2.googleapis.com/token', 'https://www.googleapis.com/oauth2/v4/token'];

const CLOCK_SKEW_S = 300;
const MAX_LIFETIME_S = 3600;

function oauthError(status: number, error: string, description: string): SimError {
  return { status, body: { error, error_description: description } };
}

const invalidGrant = (description: string) => oauthError(400, 'invalid_grant', description);
const badTimes = () =>
  invalidGrant(
    'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
  );

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Checks a JWT-bearer assertion; returns the issuing account's email, or the
 * refusal. `audience` is the URL this endpoint was called at.
 */
export function verifyAssertion(assertion: string, accounts: ServiceAccounts, audience: string, nowMs = Date.now()): string | SimError {
  const parts = assertion.split('.');
  if (parts.length !== 3) return invalidGrant('Invalid JWT: not a compact JWS (header.payload.signature).');
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = decodePart(headerPart);
  const claims = decodePart(payloadPart);
  if (!header || !claims) return invalidGrant('Invalid JWT: the header or the claim set is not base64url JSON.');
  if (header.alg !== 'RS256') return invalidGrant(`Invalid JWT: unsupported algorithm ${JSON.stringify(header.alg)}; only RS256 is accepted.`);
  const iss = claims.iss;
  const key = typeof iss === 'string' ? accounts.publicKey(iss) : undefined;
  if (typeof iss !== 'string' || !key) return invalidGrant('Invalid grant: account not found');
  const signed = verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), key, Buffer.from(signaturePart, 'base64url'));
  if (!signed) return invalidGrant('Invalid JWT Signature.');
  if (claims.aud !== audience && !GOOGLE_AUDIENCES.includes(String(claims.aud))) {
    return invalidGrant(`Invalid JWT: Failed audience check. The right audience is ${audience}`);
  }
  const scopes = typeof claims.scope === 'string' ? claims.scope.split(/\s+/) : [];
  if (scopes.length === 0 || scopes[0] === '') return oauthError(400, 'invalid_scope', 'Empty or missing scope not allowed.');
  if (!scopes.includes(CLOUD_PLATFORM_SCOPE)) return oauthError(400, 'invalid_scope', `Vertex AI needs the scope ${CLOUD_PLATFORM_SCOPE}.`);
  const { iat, exp } = claims;
  const now = nowMs / 1000;
  if (typeof iat !== 'number' || typeof exp !== 'number') return badTimes();
  if (iat > now + CLOCK_SKEW_S || exp <= now || exp <= iat || exp - iat > MAX_LIFETIME_S) return badTimes();
  return iss;
}

/** POST {token path}: the form body in, a token or Google's OAuth refusal out. */
export function handleTokenExchange(ctx: SimContext): void {
  const form = new URLSearchParams(ctx.body.toString('utf8'));
  const grant = form.get('grant_type') ?? '';
  if (grant !== JWT_BEARER_GRANT) return ctx.reply.error(oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grant}`));
  const assertion = form.get('assertion');
  if (!assertion) return ctx.reply.error(oauthError(400, 'invalid_request', 'Missing required parameter: assertion'));
  const checked = verifyAssertion(assertion, ctx.accounts, `${ctx.origin}${ctx.path}`);
  if (typeof checked !== 'string') return ctx.reply.error(checked);
  const token = ctx.accounts.issue(checked);
  ctx.reply.json(200, { access_token: token.access_token, expires_in: ctx.accounts.ttlSeconds, token_type: 'Bearer' }, { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate' });
}
