import type { Repositories } from '../store/repositories.js';

export interface DemoInfo {
  tokenKey: string;
  channelName: string;
}

export const DEMO_CHANNEL = 'demo-simulator';
export const DEMO_TOKEN = 'demo';
const DEMO_MODELS = [
  'gemini-2.5-flash-image',
  'gemini-3-pro-image-preview',
  'gemini-3.1-flash-image-preview',
  'gemini-2.5-flash',
  'gemini-2.5-pro',
  'gpt-4o-mini',
  'gpt-4.1',
  'gpt-image-1',
  'claude-sonnet-4-5',
  'claude-opus-4-1',
];

/** `--demo`: a channel on the in-process simulator and a token to call it with. */
export async function ensureDemo(repos: Repositories, rootUserId: number): Promise<DemoInfo> {
  await repos.channels.upsertByName({
    name: DEMO_CHANNEL,
    type: 'simulator',
    baseUrl: '',
    keys: ['sim-demo-key'],
    models: DEMO_MODELS,
    groups: ['default'],
    priority: 0,
    weight: 1,
  });
  const existing = (await repos.tokens.list({ userId: rootUserId, keyword: DEMO_TOKEN })).items.find((t) => t.name === DEMO_TOKEN);
  const tokenKey = existing
    ? await repos.tokens.revealKey(existing.id)
    : (await repos.tokens.create({ userId: rootUserId, name: DEMO_TOKEN, unlimited: true })).key;
  return { tokenKey, channelName: DEMO_CHANNEL };
}

/** The copy-paste curl `serve --demo` prints: a 16:9 image saved to a file. */
export function demoCurl(baseUrl: string, tokenKey: string): string {
  const body = JSON.stringify({
    contents: [{ parts: [{ text: 'A lighthouse on a cliff at dawn, watercolor' }] }],
    generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '16:9' } },
  });
  return [
    `curl -s ${baseUrl}/v1beta/models/gemini-2.5-flash-image:generateContent \\`,
    `  -H 'x-goog-api-key: ${tokenKey}' -H 'content-type: application/json' \\`,
    `  -d '${body}' \\`,
    `  | grep -o '"data": *"[^"]*"' | head -n 1 | sed 's/.*"\\([^"]*\\)"$/\\1/' | base64 -d > waystation-demo.png`,
  ].join('\n');
}
