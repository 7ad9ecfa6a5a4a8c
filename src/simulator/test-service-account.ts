// Makes a Google service-account key file for tests: a fresh RSA key pair,
// the JSON a vertex channel takes as its key (token_uri pointing wherever the
// test says, usually this simulator), and the public half to register with
// the simulator so it can verify the account's assertions.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { SimServiceAccount } from './service-accounts.js';

export interface TestServiceAccount {
  /** The key file as Google writes it, parsed. */
  credentials: {
    type: 'service_account';
    project_id: string;
    private_key_id: string;
    private_key: string;
    client_email: string;
    client_id: string;
    auth_uri: string;
    token_uri: string;
  };
  /** The key file as one JSON string: a vertex channel key. */
  json: string;
  /** What the simulator needs to trust it (`startSimulator({ serviceAccounts })`). */
  registration: SimServiceAccount;
}

export function createTestServiceAccount(opts: { tokenUri: string; projectId?: string; name?: string }): TestServiceAccount {
  const projectId = opts.projectId ?? 'sim-project';
  const name = opts.name ?? `sim-${randomBytes(4).toString('hex')}`;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const credentials: TestServiceAccount['credentials'] = {
    type: 'service_account',
    project_id: projectId,
    private_key_id: randomBytes(20).toString('hex'),
    private_key: privateKey,
    client_email: `${name}@${projectId}.iam.gserviceaccount.com`,
    client_id: String(100_000_000_000_000_000_000n + BigInt(`0x${randomBytes(6).toString('hex')}`)),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: opts.tokenUri,
  };
  return { credentials, json: JSON.stringify(credentials), registration: { client_email: credentials.client_email, public_key: publicKey } };
}
