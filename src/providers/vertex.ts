// Google Vertex AI: Gemini models under
// `/v1/projects/{project}/locations/{location}/publishers/google/models/{model}:{method}`,
// authenticated with an OAuth access token minted from the channel key (a
// service-account JSON). Vertex speaks the Gemini dialect natively, so bodies
// and answers pass through untouched.
//
// Channel settings: `project` (default: the account's project_id), `location`
// or `region` (default `global`). `base_url` replaces the regional host.
import { GatewayError } from '../dialects/errors.js';
import type { Provider, UpstreamCall } from './types.js';
import { joinVersioned, splitBaseUrl } from './url.js';
import { ServiceAccountCache, type ServiceAccount } from './vertex-account.js';
import { AccessTokenCache } from './vertex-token.js';

export const VERTEX_GLOBAL_LOCATION = 'global';

const LOCATION = /^[a-z][a-z0-9-]{0,62}$/;
// Project ids, numbers and domain-scoped ids (`example.com:my-project`).
const PROJECT = /^[a-z0-9][a-z0-9.:-]{0,127}$/i;

/** `https://aiplatform.googleapis.com` for `global`, else `https://{location}-aiplatform.googleapis.com`. */
export function vertexOrigin(location: string): string {
  return location === VERTEX_GLOBAL_LOCATION ? 'https://aiplatform.googleapis.com' : `https://${location}-aiplatform.googleapis.com`;
}

export interface VertexPlace {
  project: string;
  location: string;
}

function setting(settings: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const v = settings[name];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

/** Project and location from the channel settings, else the account's project; a string says what is wrong. */
export function vertexPlace(settings: Record<string, unknown>, accountProject: string | undefined): VertexPlace | string {
  const location = (setting(settings, 'location', 'region') ?? VERTEX_GLOBAL_LOCATION).toLowerCase();
  if (!LOCATION.test(location)) return `settings.location ${JSON.stringify(location)} is not a Vertex location (e.g. global, us-central1, europe-west4)`;
  const project = setting(settings, 'project', 'project_id') ?? accountProject;
  if (project === undefined) return 'no Vertex project: set settings.project or use a key with a project_id';
  if (!PROJECT.test(project)) return `settings.project ${JSON.stringify(project)} is not a Google Cloud project id`;
  return { project, location };
}

/** Origin and path of a model method; `base_url` (a proxy, or the simulator) replaces the regional host. */
export function vertexAddress(call: UpstreamCall, place: VertexPlace): { origin: string; path: string } {
  const { origin, basePath } = call.channel.baseUrl ? splitBaseUrl(call.channel.baseUrl) : { origin: vertexOrigin(place.location), basePath: '' };
  const method = `/v1/projects/${place.project}/locations/${place.location}/publishers/google/models/${encodeURIComponent(call.model)}:${call.operation}`;
  const path = joinVersioned(basePath, method);
  return { origin, path: call.query ? `${path}?${call.query}` : path };
}

// 502s: the client's request was fine; this channel could not be used.
function credentialsFailed(reason: string): GatewayError {
  return new GatewayError('upstream', `Vertex AI credentials failed: ${reason}.`, { status: 502, code: 'upstream_auth_failed' });
}

function misconfigured(reason: string): GatewayError {
  return new GatewayError('upstream', `The Vertex AI channel is misconfigured: ${reason}.`, { status: 502, code: 'upstream_misconfigured' });
}

export function vertexProvider(opts: { tokens?: AccessTokenCache; accounts?: ServiceAccountCache } = {}): Provider {
  const accounts = opts.accounts ?? new ServiceAccountCache();
  const tokens = opts.tokens ?? new AccessTokenCache();
  return {
    type: 'vertex',
    dialects: ['gemini'],
    codecs: ['gemini'],
    // Never throws: a bad key or setting is reported by authorize(), which the relay treats as this channel failing.
    target(call) {
      const place = vertexPlace(call.channel.settings, accounts.peek(call.key)?.projectId);
      const address = vertexAddress(call, typeof place === 'string' ? { project: '-', location: VERTEX_GLOBAL_LOCATION } : place);
      return { ...address, headers: { ...call.forwardHeaders } };
    },
    async authorize(call) {
      let sa: ServiceAccount;
      try {
        sa = accounts.get(call.key);
      } catch (err) {
        throw credentialsFailed((err as Error).message);
      }
      const place = vertexPlace(call.channel.settings, sa.projectId);
      if (typeof place === 'string') throw misconfigured(place);
      try {
        return { authorization: `Bearer ${await tokens.token(call.key, sa)}` };
      } catch (err) {
        throw credentialsFailed((err as Error).message);
      }
    },
    credentialsRejected(call) {
      tokens.forget(call.key);
    },
  };
}
