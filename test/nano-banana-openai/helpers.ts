// Shared set-up for the Nano Banana through OpenAI end-to-end tests: a
// simulator, a gateway whose channels point at it (Gemini channels for the
// image models, one per chat image output mode, a simulator channel that can
// carry faults, an OpenAI channel for gpt-image-1 / dall-e-3), the official
// openai SDK pointed at the gateway, and readers for the journal and the logs.
import { createHmac } from 'node:crypto';
import OpenAI from 'openai';
import { PNG } from 'pngjs';
import type { Settings } from '../../src/config/settings.js';
import { startSimulator } from '../../src/simulator/server.js';
import { TEST_ADMIN_KEY, TOKEN_KEY, startTestGateway, type TestGateway, type TestSimulator } from '../helpers/gateway.js';

export { TEST_ADMIN_KEY, TOKEN_KEY };

export const IMAGE_MODELS = ['gemini-2.5-flash-image', 'gemini-3-pro-image-preview', 'gemini-3.1-flash-image-preview'] as const;

/** Client model names served by a channel with that `settings.image_output` (all map to 2.5 Flash Image). */
export const MODE_MODELS = { images: 'nb-images', markdown: 'nb-markdown', both: 'nb-both', url: 'nb-url' } as const;
/** Served by a `simulator` channel, which forwards `x-sim-fault` (Gemini channels do not). */
export const FAULTY_MODEL = 'nb-faulty';
/** A second token whose own `image_output` is markdown (it wins over the channel's). */
export const MARKDOWN_TOKEN_KEY = 'sk-test-markdown-0123456789abcdefghijklmnopqrstuvwxyzAB';

function modeChannel(simUrl: string, mode: keyof typeof MODE_MODELS): string {
  return `
  - name: gem-${mode}
    type: gemini
    base_url: ${simUrl}
    keys: [gem-${mode}-key]
    models: [${MODE_MODELS[mode]}]
    model_mapping: { ${MODE_MODELS[mode]}: gemini-2.5-flash-image }
    settings: { image_output: ${mode} }`;
}

/** `extraChannels`: more YAML channel entries (indented as list items under `channels:`). */
export function nanoBananaConfig(simUrl: string, extraChannels = ''): string {
  return `
channels:
  - name: gem
    type: gemini
    base_url: ${simUrl}
    keys: [gem-key-1]
    models: [${IMAGE_MODELS.join(', ')}]
${(['images', 'markdown', 'both', 'url'] as const).map((m) => modeChannel(simUrl, m)).join('\n')}
  - name: sim-faulty
    type: simulator
    base_url: ${simUrl}
    keys: [sim-key-1]
    models: [${FAULTY_MODEL}]
    model_mapping: { ${FAULTY_MODEL}: gemini-3.1-flash-image-preview }
  - name: oai
    type: openai
    base_url: ${simUrl}
    keys: [sk-upstream-oai-1]
    models: [gpt-image-1, dall-e-3]
${extraChannels}
tokens:
  - name: test
    key: ${TOKEN_KEY}
    unlimited: true
  - name: markdown-token
    key: ${MARKDOWN_TOKEN_KEY}
    unlimited: true
    image_output: markdown
`;
}

export interface JournalEntry {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: any;
  query?: unknown;
}

export interface Rig {
  sim: TestSimulator;
  gw: TestGateway;
  client: OpenAI;
  /** Provider requests the simulator received since the last `clearJournal()`. */
  journal(): Promise<JournalEntry[]>;
  /** Gemini generateContent calls received since the last clear. */
  geminiCalls(): Promise<JournalEntry[]>;
  clearJournal(): Promise<void>;
  /** The newest usage rows through GET /api/logs (after flushing the writer), newest first. */
  logs(count?: number): Promise<any[]>;
  /**
   * The usage row of one request (by its x-request-id), through GET /api/logs.
   * The row is written just after the answer's last byte, so it is waited for.
   */
  row(requestId: string | null | undefined): Promise<any>;
  close(): Promise<void>;
}

/** A simulator whose journal keeps bodies of any size: chat history carries multi-megabyte images. */
async function startBigJournalSimulator(): Promise<TestSimulator> {
  const sim = await startSimulator({ port: 0, host: '127.0.0.1', journal: { bodyLimit: 256 * 1024 * 1024 } });
  return {
    url: sim.url,
    close: () => sim.close(),
    async requests() {
      const res = await fetch(`${sim.url}/__sim/requests`);
      return ((await res.json()) as { requests: any[] }).requests;
    },
    async clear() {
      await fetch(`${sim.url}/__sim/requests`, { method: 'DELETE' });
    },
  };
}

export async function startRig(settings: Partial<Settings> = {}, extraChannels?: (simUrl: string) => string): Promise<Rig> {
  const sim = await startBigJournalSimulator();
  const gw = await startTestGateway(nanoBananaConfig(sim.url, extraChannels?.(sim.url)), settings);
  const client = new OpenAI({ apiKey: TOKEN_KEY, baseURL: `${gw.url}/v1`, maxRetries: 0, timeout: 120_000 });
  const journal = async () => (await sim.requests()).filter((r) => !r.path.startsWith('/__sim/')) as JournalEntry[];
  const logs = async (count = 1): Promise<any[]> => {
    await gw.gw.usage.flush();
    const res = await fetch(`${gw.url}/api/logs?page_size=${count}`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
    if (res.status !== 200) throw new Error(`GET /api/logs answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { data: { items: any[] } };
    return body.data.items;
  };
  return {
    sim,
    gw,
    client,
    journal,
    async geminiCalls() {
      return (await journal()).filter((r) => /:(generateContent|streamGenerateContent)$/.test(r.path));
    },
    clearJournal: () => sim.clear(),
    logs,
    async row(requestId) {
      if (!requestId) throw new Error('the answer carried no x-request-id');
      for (let i = 0; i < 100; i++) {
        const found = (await logs(50)).find((r) => r.request_id === requestId);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`no usage row for request ${requestId}`);
    },
    async close() {
      await gw.close();
      await sim.close();
    },
  };
}

/** The real pixel size of a PNG (fully decoded, so a broken file fails). */
export function pngSize(data: Buffer | string): { width: number; height: number } {
  const png = PNG.sync.read(typeof data === 'string' ? Buffer.from(data, 'base64') : data);
  return { width: png.width, height: png.height };
}

/** A small real PNG, as bytes. */
export function makePng(width: number, height: number, alpha = false): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(180);
  if (alpha) for (let i = 3; i < png.data.length; i += 4) png.data[i] = i % 8 === 3 ? 0 : 255;
  return PNG.sync.write(png);
}

export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function isPng(bytes: Buffer): boolean {
  return bytes.subarray(0, 8).equals(PNG_MAGIC);
}

export function isJpeg(bytes: Buffer): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

export function isWebp(bytes: Buffer): boolean {
  return bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP';
}

/** The image parts of a journalled Gemini body, in order (camelCase or snake_case). */
export function inlineParts(body: any): Array<{ role?: string; mimeType: string; data: string; thoughtSignature?: string }> {
  const out: Array<{ role?: string; mimeType: string; data: string; thoughtSignature?: string }> = [];
  for (const content of body?.contents ?? []) {
    for (const part of content.parts ?? []) {
      const inline = part.inlineData ?? part.inline_data;
      if (inline) out.push({ role: content.role, mimeType: inline.mimeType ?? inline.mime_type, data: inline.data, thoughtSignature: part.thoughtSignature ?? part.thought_signature });
    }
  }
  return out;
}

/** The imageConfig a journalled Gemini body asked for. */
export function imageConfigOf(body: any): Record<string, unknown> | undefined {
  const config = body?.generationConfig ?? body?.generation_config;
  return config?.imageConfig ?? config?.image_config;
}

/** The gateway's image link signing key, derived the way src/server/media.ts does from the test secret. */
export function imageSigningKey(secret = 'test-secret-for-encryption-at-rest'): string {
  return createHmac('sha256', secret).update('waystation image urls').digest('hex');
}

/** Re-signs an image link for another expiry, as the gateway would have signed it. */
export function resignImageUrl(url: string, expiresAtSeconds: number): string {
  const u = new URL(url);
  const id = decodeURIComponent(u.pathname.slice(u.pathname.lastIndexOf('/') + 1));
  const signature = createHmac('sha256', imageSigningKey()).update(`image:${id}\n${expiresAtSeconds}`).digest('hex');
  u.searchParams.set('expires', String(expiresAtSeconds));
  u.searchParams.set('signature', signature);
  return u.toString();
}

/** Runs an SDK call that must fail; returns its APIError. */
export async function apiError(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await call;
  } catch (err) {
    if (err instanceof OpenAI.APIError) return err;
    throw err;
  }
  throw new Error('expected the call to be refused');
}
