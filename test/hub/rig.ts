// Shared set-up for the hub matrix: one simulator, one gateway whose channels
// are typed `openai`, `anthropic` and `gemini` (all pointing at the simulator,
// so the gateway converts between dialects), the three official SDKs pointed
// at the gateway, and readers for the usage log (GET /api/logs) and the
// simulator's journal.
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { PNG } from 'pngjs';
import type { Settings } from '../../src/config/settings.js';
import { TEST_ADMIN_KEY, TOKEN_KEY, startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

export { TEST_ADMIN_KEY, TOKEN_KEY };

/** The channel each provider family is served by, and the models used on it. */
export const CHANNELS = {
  openai: { name: 'oai', model: 'gpt-4o-mini', reasoningModel: 'o4-mini' },
  anthropic: { name: 'ant', model: 'claude-haiku-4-5', reasoningModel: 'claude-haiku-4-5' },
  gemini: { name: 'gem', model: 'gemini-2.5-flash', reasoningModel: 'gemini-2.5-pro' },
} as const;

export type Provider = keyof typeof CHANNELS;
export const PROVIDERS: Provider[] = ['openai', 'anthropic', 'gemini'];

/**
 * Aliases whose upstream name carries a simulator fault (these channels are
 * not `simulator`, so the x-sim-fault header stays home). They live on
 * channels of their own with the circuit breakers off, so repeated faults
 * neither pause the channels the rest of the matrix uses nor each other.
 */
export function faultModel(provider: Provider, fault: string): string {
  return `${CHANNELS[provider].model}-fault-${fault.replace(/[^a-z0-9]+/gi, '-')}`;
}
const FAULTS = ['429', '500', '400', 'cut-after:4', 'cut-after:5', 'cut-mid-event:3'];

function faultChannel(provider: Provider, type: string, simUrl: string, key: string): string {
  const lines = FAULTS.map((f) => `      ${faultModel(provider, f)}: "${CHANNELS[provider].model}@fault=${f}"`);
  return `  - name: ${CHANNELS[provider].name}-faults
    type: ${type}
    base_url: ${simUrl}
    keys: [${key}]
    models: [${FAULTS.map((f) => faultModel(provider, f)).join(', ')}]
    settings: { breaker: false }
    model_mapping:
${lines.join('\n')}
`;
}

export function hubConfig(simUrl: string): string {
  return `
channels:
  - name: oai
    type: openai
    base_url: ${simUrl}
    keys: [sk-upstream-openai]
    models: [gpt-4o-mini, o4-mini, text-embedding-3-small]
  - name: ant
    type: anthropic
    base_url: ${simUrl}
    keys: [sk-upstream-anthropic]
    models: [claude-haiku-4-5]
  - name: gem
    type: gemini
    base_url: ${simUrl}
    keys: [upstream-gemini-key]
    models: [gemini-2.5-flash, gemini-2.5-pro, gemini-3-pro-preview, gemini-embedding-001]
${faultChannel('openai', 'openai', simUrl, 'sk-upstream-openai')}${faultChannel('anthropic', 'anthropic', simUrl, 'sk-upstream-anthropic')}${faultChannel('gemini', 'gemini', simUrl, 'upstream-gemini-key')}  - name: dsk
    type: openai-compatible
    base_url: ${simUrl}
    keys: [sk-upstream-deepseek]
    models: [deepseek-reasoner]
  - name: simch
    type: simulator
    base_url: ${simUrl}
    keys: [sim-key]
    models: [sim-gpt-4o-mini]
    model_mapping: { sim-gpt-4o-mini: gpt-4o-mini }
tokens:
  - name: hub
    key: ${TOKEN_KEY}
    unlimited: true
  - name: narrow
    key: ${NARROW_KEY}
    unlimited: true
    models: [gpt-4o-mini, claude-haiku-4-5, gemini-2.5-flash]
`;
}

/** A token whose allow-list holds one model per provider. */
export const NARROW_KEY = 'sk-narrow-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGH';

export interface UsageRow {
  request_id: string;
  route: string;
  model_requested: string;
  model_served: string;
  channel_id: number;
  status: number;
  error: string | null;
  is_stream: boolean;
  input_tokens: number;
  cached_input_tokens: number;
  output_text_tokens: number;
  output_image_tokens: number;
  reasoning_tokens: number;
}

export interface Hub {
  sim: TestSimulator;
  gw: TestGateway;
  openai: OpenAI;
  anthropic: Anthropic;
  gemini: GoogleGenAI;
  /** Channel id of a provider family's channel (from GET /api/channels). */
  channelId(provider: Provider): number;
  /** Channel id of the channel serving a provider family's fault aliases. */
  faultChannelId(provider: Provider): number;
  /** The usage row of one request, read through GET /api/logs. */
  usageRow(requestId: string): Promise<UsageRow>;
  /** The x-request-id of the last answer any of the three SDKs received. */
  lastRequestId(): string;
  /** The usage row of the last request an SDK made. */
  lastRow(): Promise<UsageRow>;
  /** The headers of the last answer an SDK received. */
  lastHeaders(): Headers;
  /** The requests the simulator received since the last clear(), oldest first. */
  upstream(): Promise<Array<{ method: string; path: string; headers: Record<string, string>; body?: any; query?: Record<string, string> }>>;
  close(): Promise<void>;
}

export async function startHub(overrides: Partial<Settings> = {}): Promise<Hub> {
  const sim = await startTestSimulator();
  const gw = await startTestGateway(hubConfig(sim.url), overrides);
  const admin = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
  const channels = (await (await fetch(`${gw.url}/api/channels?page_size=100`, { headers: admin })).json()) as { data: { items: Array<{ id: number; name: string }> } };
  const ids = new Map(channels.data.items.map((c) => [c.name, Number(c.id)]));
  // Every SDK call goes through this fetch, which remembers the gateway's request id.
  let lastId: string | undefined;
  let headers = new Headers();
  const recordingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    lastId = undefined;
    const res = await fetch(input, init);
    lastId = res.headers.get('x-request-id') ?? undefined;
    headers = res.headers;
    return res;
  };
  const hub: Hub = {
    sim,
    gw,
    openai: new OpenAI({ apiKey: TOKEN_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0, fetch: recordingFetch }),
    anthropic: new Anthropic({ apiKey: TOKEN_KEY, baseURL: gw.url, maxRetries: 0, fetch: recordingFetch }),
    gemini: new GoogleGenAI({ apiKey: TOKEN_KEY, httpOptions: { baseUrl: gw.url, retryOptions: { attempts: 1 }, fetch: recordingFetch } }),
    lastRequestId() {
      if (!lastId) throw new Error('no SDK request has been answered yet');
      return lastId;
    },
    lastRow() {
      return hub.usageRow(hub.lastRequestId());
    },
    lastHeaders() {
      return headers;
    },
    channelId(provider) {
      const id = ids.get(CHANNELS[provider].name);
      if (id === undefined) throw new Error(`no channel ${CHANNELS[provider].name}`);
      return id;
    },
    faultChannelId(provider) {
      const id = ids.get(`${CHANNELS[provider].name}-faults`);
      if (id === undefined) throw new Error(`no channel ${CHANNELS[provider].name}-faults`);
      return id;
    },
    async usageRow(requestId) {
      // The row is pushed as the response ends; the writer batches, so flush and look again briefly.
      for (let i = 0; i < 50; i++) {
        await gw.gw.usage.flush();
        const res = await fetch(`${gw.url}/api/logs?page_size=100`, { headers: admin });
        const body = (await res.json()) as { data: { items: UsageRow[] } };
        const row = body.data.items.find((r) => r.request_id === requestId);
        if (row) return row;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`no usage row for request ${requestId}`);
    },
    async upstream() {
      return sim.requests();
    },
    async close() {
      await gw.close();
      await sim.close();
    },
  };
  return hub;
}

/** A small real PNG (24×16, a gradient), as base64 and as a data URL. */
export const PNG_BASE64 = (() => {
  const png = new PNG({ width: 24, height: 16 });
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 24; x++) {
      const i = (y * 24 + x) * 4;
      png.data[i] = x * 10;
      png.data[i + 1] = y * 15;
      png.data[i + 2] = 128;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png).toString('base64');
})();
export const PNG_DATA_URL = `data:image/png;base64,${PNG_BASE64}`;

/** A function tool, in each dialect's shape. */
export const WEATHER_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string', description: 'City name' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
  required: ['city', 'unit'],
};
export const WEATHER = { name: 'get_weather', description: 'Current weather for a city' };
