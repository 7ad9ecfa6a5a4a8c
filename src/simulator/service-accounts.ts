// What the simulator's fake Google OAuth knows: the service accounts whose
// public keys it was given (so it can verify their signed assertions), and
// the access tokens it has issued (so Vertex routes can check a Bearer).

import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';

export interface SimServiceAccount {
  client_email: string;
  /** PEM (SPKI) public key matching the account's private_key. */
  public_key: string;
}

export interface IssuedAccessToken {
  access_token: string;
  client_email: string;
  /** Epoch ms. */
  expires_at: number;
}

export type TokenCheck = { ok: true; token: IssuedAccessToken } | { ok: false; reason: 'unknown' | 'expired' };

export class ServiceAccounts {
  private readonly keys = new Map<string, KeyObject>();
  private readonly tokens = new Map<string, IssuedAccessToken>();

  /** @param ttlSeconds lifetime of issued access tokens (Google: 3600). */
  constructor(
    accounts: readonly SimServiceAccount[] = [],
    readonly ttlSeconds = 3600,
  ) {
    for (const account of accounts) this.register(account);
  }

  /** Trusts this account's public key from now on; throws on a bad key. */
  register(account: SimServiceAccount): void {
    if (typeof account.client_email !== 'string' || account.client_email === '') throw new Error('client_email is required');
    let key: KeyObject;
    try {
      key = createPublicKey(account.public_key);
    } catch {
      throw new Error(`public_key of ${account.client_email} is not a PEM public key`);
    }
    this.keys.set(account.client_email, key);
  }

  publicKey(clientEmail: string): KeyObject | undefined {
    return this.keys.get(clientEmail);
  }

  /** A fresh access token for the account, shaped like Google's (`ya29.…`). */
  issue(clientEmail: string, now = Date.now()): IssuedAccessToken {
    const token: IssuedAccessToken = {
      access_token: `ya29.sim-${randomBytes(24).toString('base64url')}`,
      client_email: clientEmail,
      expires_at: now + this.ttlSeconds * 1000,
    };
    this.tokens.set(token.access_token, token);
    return token;
  }

  check(accessToken: string, now = Date.now()): TokenCheck {
    const token = this.tokens.get(accessToken);
    if (!token) return { ok: false, reason: 'unknown' };
    if (token.expires_at <= now) return { ok: false, reason: 'expired' };
    return { ok: true, token };
  }

  /** Every token issued so far, oldest first. */
  issued(): IssuedAccessToken[] {
    return [...this.tokens.values()];
  }

  /** Forgets every issued token (as if they were revoked); returns how many. */
  revokeAll(): number {
    const n = this.tokens.size;
    this.tokens.clear();
    return n;
  }
}
