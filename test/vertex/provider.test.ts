// The vertex provider without a network: regional and global hosts, the
// publishers/google/models path, base_url overrides, settings and their
// mistakes (reported by authorize, never thrown by target), and config-time
// validation of vertex channels.
import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../../src/config/load.js';
import { GatewayError } from '../../src/dialects/errors.js';
import type { UpstreamCall } from '../../src/providers/types.js';
import { vertexChannelProblems } from '../../src/providers/vertex-check.js';
import { AccessTokenCache } from '../../src/providers/vertex-token.js';
import { vertexOrigin, vertexProvider } from '../../src/providers/vertex.js';
import type { Channel } from '../../src/store/entities.js';
import { createTestServiceAccount } from '../../src/simulator/test-service-account.js';

const account = createTestServiceAccount({ tokenUri: 'http://127.0.0.1:9/token', projectId: 'sa-project' });

function channel(over: Partial<Channel> = {}): Channel {
  return {
    id: 1, name: 'vx', type: 'vertex', baseUrl: '', models: ['gemini-2.5-flash'], modelMapping: {}, groups: ['default'],
    priority: 0, weight: 1, status: 'enabled', statusReason: null, settings: {}, keys: [], createdAt: 0, updatedAt: 0,
    ...over,
  } as Channel;
}

function call(over: Partial<UpstreamCall> = {}): UpstreamCall {
  return {
    channel: channel(), key: account.json, dialect: 'gemini', operation: 'generateContent', model: 'gemini-2.5-flash',
    stream: false, query: '', forwardHeaders: { 'content-type': 'application/json' }, ...over,
  };
}

const tokens = new AccessTokenCache({ exchange: async () => ({ accessToken: 'ya29.fake', expiresAt: Date.now() + 3600_000 }) });
const provider = vertexProvider({ tokens });

describe('hosts', () => {
  it('global → aiplatform.googleapis.com; a region → {region}-aiplatform.googleapis.com', () => {
    expect(vertexOrigin('global')).toBe('https://aiplatform.googleapis.com');
    expect(vertexOrigin('us-central1')).toBe('https://us-central1-aiplatform.googleapis.com');
    expect(vertexOrigin('europe-west4')).toBe('https://europe-west4-aiplatform.googleapis.com');
  });
});

describe('target', () => {
  it('defaults: global location, the key file\'s project', () => {
    expect(provider.target(call())).toEqual({
      origin: 'https://aiplatform.googleapis.com',
      path: '/v1/projects/sa-project/locations/global/publishers/google/models/gemini-2.5-flash:generateContent',
      headers: { 'content-type': 'application/json' },
    });
  });

  it('a regional location builds the regional host; settings.project wins over the key file', () => {
    const t = provider.target(call({ channel: channel({ settings: { project: 'my-proj', location: 'us-central1' } }) }));
    expect(t.origin).toBe('https://us-central1-aiplatform.googleapis.com');
    expect(t.path).toBe('/v1/projects/my-proj/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent');
  });

  it('`region` is read like `location`', () => {
    expect(provider.target(call({ channel: channel({ settings: { region: 'asia-northeast1' } }) })).origin).toBe('https://asia-northeast1-aiplatform.googleapis.com');
  });

  it('SSE streaming keeps alt=sse', () => {
    const t = provider.target(call({ operation: 'streamGenerateContent', stream: true, query: 'alt=sse' }));
    expect(t.path).toBe('/v1/projects/sa-project/locations/global/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
  });

  it('base_url replaces the host; a version on it replaces v1', () => {
    const sim = provider.target(call({ channel: channel({ baseUrl: 'http://127.0.0.1:4000', settings: { location: 'us-east5' } }) }));
    expect(sim.origin).toBe('http://127.0.0.1:4000');
    expect(sim.path).toBe('/v1/projects/sa-project/locations/us-east5/publishers/google/models/gemini-2.5-flash:generateContent');
    const proxy = provider.target(call({ channel: channel({ baseUrl: 'https://proxy.example.com/vertex/v1beta1' }) }));
    expect(proxy.origin).toBe('https://proxy.example.com');
    expect(proxy.path).toBe('/vertex/v1beta1/projects/sa-project/locations/global/publishers/google/models/gemini-2.5-flash:generateContent');
  });

  it('never sends the key itself: credentials come only from authorize()', async () => {
    const t = provider.target(call());
    expect(JSON.stringify(t)).not.toContain('PRIVATE KEY');
    expect(await provider.authorize!(call())).toEqual({ authorization: 'Bearer ya29.fake' });
  });
});

describe('mistakes are reported by authorize as this channel failing (502), never thrown by target', () => {
  const cases: Array<[string, Partial<UpstreamCall>, RegExp]> = [
    ['a key that is not a service account', { key: 'AIzaSy-plain-api-key' }, /credentials failed: the key is not JSON/],
    ['a location with a typo', { channel: channel({ settings: { location: 'us central1' } }) }, /misconfigured: settings.location/],
    ['no project anywhere', { key: JSON.stringify({ ...account.credentials, project_id: undefined }) }, /no Vertex project/],
  ];
  for (const [what, over, message] of cases) {
    it(what, async () => {
      expect(() => provider.target(call(over))).not.toThrow();
      const err = await provider.authorize!(call(over)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayError);
      expect(err).toMatchObject({ status: 502, message: expect.stringMatching(message) });
      expect((err as Error).message).not.toContain('AIzaSy');
    });
  }
});

describe('config validation', () => {
  const config = (ch: Record<string, unknown>) => ({ channels: [{ name: 'vx', type: 'vertex', models: ['gemini-2.5-flash'], ...ch }] });
  const problems = (ch: Record<string, unknown>): string[] => {
    try {
      validateConfig(config(ch));
      return [];
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as ConfigError).problems;
    }
  };

  it('a vertex channel needs no base_url', () => {
    expect(problems({ keys: [account.json] })).toEqual([]);
    expect(problems({ key: account.json, settings: { location: 'us-central1', project: 'p1' } })).toEqual([]);
  });

  it('keys that are not service accounts, and bad settings, are named without quoting the key', () => {
    const found = problems({ keys: [account.json, 'AIzaSy-not-a-key-file'], settings: { location: 'Mars Base' } });
    expect(found).toEqual([
      expect.stringMatching(/^channels\[0\]\.keys\[1\]: the key is not JSON/),
      expect.stringMatching(/^channels\[0\]\.settings: settings.location "mars base" is not a Vertex location/),
    ]);
    expect(found.join('\n')).not.toContain('AIzaSy');
  });

  it('a key without project_id needs settings.project', () => {
    const noProject = JSON.stringify({ ...account.credentials, project_id: undefined });
    expect(vertexChannelProblems([noProject], {})).toEqual([{ path: ['keys', 0], message: expect.stringMatching(/no project_id; set settings.project/) }]);
    expect(vertexChannelProblems([noProject], { project: 'p1' })).toEqual([]);
  });
});
