// The self-signed JWT a service account trades for an OAuth access token
// (RFC 7523 "JWT bearer" grant): RS256 over base64url(header).base64url(claims).
import { sign, type KeyObject } from 'node:crypto';
import type { ServiceAccount } from './vertex-account.js';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Google accepts assertions valid for at most an hour. */
export const ASSERTION_LIFETIME_SECONDS = 3600;

export interface AssertionClaims {
  iss: string;
  scope: string;
  aud: string;
  iat: number;
  exp: number;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** `header.claims.signature`, RS256 (RSASSA-PKCS1-v1_5 with SHA-256). */
export function signJwt(header: Record<string, unknown>, claims: object, key: KeyObject): string {
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), key);
  return `${signingInput}.${base64url(signature)}`;
}

/** The claims for a token request made at `nowSeconds`. */
export function assertionClaims(sa: ServiceAccount, nowSeconds: number, scope = CLOUD_PLATFORM_SCOPE): AssertionClaims {
  return { iss: sa.clientEmail, scope, aud: sa.tokenUri, iat: nowSeconds, exp: nowSeconds + ASSERTION_LIFETIME_SECONDS };
}

/** The signed assertion for the `assertion` form field. */
export function serviceAccountAssertion(sa: ServiceAccount, nowSeconds: number, scope = CLOUD_PLATFORM_SCOPE): string {
  const header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' };
  if (sa.privateKeyId) header.kid = sa.privateKeyId;
  return signJwt(header, assertionClaims(sa, nowSeconds, scope), sa.privateKey);
}
