// Vertex AI's Gemini routes:
// POST /{v1|v1beta1}/projects/{project}/locations/{location}/publishers/google/models/{model}:{method}
// answered by the Gemini handlers (Vertex speaks the same dialect), behind an
// OAuth Bearer token the simulator's token endpoint issued.

import { openaiKey, type SimContext } from './context.js';
import { geminiError, type SimError } from './errors.js';

const VERTEX_METHOD = /^\/(v1|v1beta1)\/projects\/([^/]+)\/locations\/([^/]+)\/publishers\/google\/models\/([^/]+):([A-Za-z]+)$/;

export interface VertexPath {
  version: string;
  project: string;
  location: string;
  model: string;
  method: string;
}

export function parseVertexPath(path: string): VertexPath | undefined {
  const m = VERTEX_METHOD.exec(path);
  if (!m) return undefined;
  const [, version = 'v1', project = '', location = '', model = '', method = ''] = m;
  return { version, project, location, model, method };
}

/** True for paths under Vertex's project tree (errors there answer in Gemini's shape). */
export function isVertexPath(path: string): boolean {
  return /^\/(v1|v1beta1)\/projects\//.test(path);
}

const UNAUTHENTICATED =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/** The refusal for a request without a live token this simulator issued, or undefined. */
export function vertexAuthError(ctx: SimContext): SimError | undefined {
  const bearer = openaiKey(ctx);
  const check = bearer ? ctx.accounts.check(bearer) : undefined;
  if (check?.ok) return undefined;
  const reason = !check ? 'CREDENTIALS_MISSING' : check.reason === 'expired' ? 'ACCESS_TOKEN_EXPIRED' : 'ACCESS_TOKEN_TYPE_UNSUPPORTED';
  return geminiError(401, UNAUTHENTICATED, [
    { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: { service: 'aiplatform.googleapis.com' } },
  ]);
}
