// A Google service-account key (the JSON file the Cloud console downloads) as
// a Vertex channel's key. Parsed once per distinct key string; a key that is
// not one gets a reason that never quotes the key itself (it is a secret).
import { createPrivateKey, type KeyObject } from 'node:crypto';

/** Google's OAuth token endpoint, used when the key file names none. */
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

export interface ServiceAccount {
  clientEmail: string;
  privateKey: KeyObject;
  /** Sent as the JWT `kid` so Google picks the right public key. */
  privateKeyId: string | undefined;
  /** The default Vertex project. */
  projectId: string | undefined;
  tokenUri: string;
}

export class ServiceAccountError extends Error {
  override name = 'ServiceAccountError';
}

function text(obj: Record<string, unknown>, field: string): string | undefined {
  const v = obj[field];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Parses a service-account JSON; throws a ServiceAccountError saying what is wrong. */
export function parseServiceAccount(key: string): ServiceAccount {
  let json: unknown;
  try {
    json = JSON.parse(key);
  } catch {
    throw new ServiceAccountError('the key is not JSON; a vertex channel key is a whole service-account JSON file');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    throw new ServiceAccountError('the key is not a JSON object; a vertex channel key is a whole service-account JSON file');
  }
  const obj = json as Record<string, unknown>;
  const type = text(obj, 'type');
  if (type !== undefined && type !== 'service_account') {
    throw new ServiceAccountError(`the key is a "${type}" credential; a vertex channel needs a "service_account" key`);
  }
  const clientEmail = text(obj, 'client_email');
  if (!clientEmail) throw new ServiceAccountError('the service-account JSON has no client_email');
  const pem = text(obj, 'private_key');
  if (!pem) throw new ServiceAccountError(`the service account ${clientEmail} has no private_key`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new ServiceAccountError(`the private_key of ${clientEmail} is not a PEM private key`);
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw new ServiceAccountError(`the private_key of ${clientEmail} is not an RSA key (RS256 needs one)`);
  }
  const tokenUri = text(obj, 'token_uri') ?? GOOGLE_TOKEN_URI;
  if (!/^https?:\/\/[^\s/]+/i.test(tokenUri) || !URL.canParse(tokenUri)) {
    throw new ServiceAccountError(`the token_uri of ${clientEmail} is not an http(s) URL`);
  }
  return { clientEmail, privateKey, privateKeyId: text(obj, 'private_key_id'), projectId: text(obj, 'project_id'), tokenUri };
}

/** Why a key is not a usable service account, or undefined when it is. */
export function serviceAccountProblem(key: string): string | undefined {
  try {
    parseServiceAccount(key);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Parsed keys by key string; bounded so replaced keys do not pile up. */
export class ServiceAccountCache {
  private readonly parsed = new Map<string, ServiceAccount | ServiceAccountError>();

  constructor(private readonly maxEntries = 1000) {}

  /** The parsed account; throws the (cached) ServiceAccountError for a bad key. */
  get(key: string): ServiceAccount {
    let entry = this.parsed.get(key);
    if (entry === undefined) {
      try {
        entry = parseServiceAccount(key);
      } catch (err) {
        entry = err instanceof ServiceAccountError ? err : new ServiceAccountError(String(err));
      }
      if (this.parsed.size >= this.maxEntries) this.parsed.delete(this.parsed.keys().next().value!);
      this.parsed.set(key, entry);
    }
    if (entry instanceof ServiceAccountError) throw entry;
    return entry;
  }

  /** The parsed account, or undefined for a bad key (never throws). */
  peek(key: string): ServiceAccount | undefined {
    try {
      return this.get(key);
    } catch {
      return undefined;
    }
  }
}
