// What the benchmark measures: each case is the same request sent straight to
// the simulator and through the gateway.
import type { LoadCase } from './load.js';

export const BENCH_TOKEN = 'sk-bench-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';

export interface BenchCase {
  name: string;
  direct: LoadCase;
  gateway: LoadCase;
  /** Also measure gateway memory per in-flight request at this many connections. */
  inFlightMemory?: { connections: number };
  /** Connections for the throughput run when not the default (huge answers). */
  connections?: number;
  /** What the gateway must reach here; the summary marks each figure against it. */
  targets?: Targets;
  /** Also measure the bare proxy (bare-proxy.ts) on this case: Node's own floor. */
  floor?: boolean;
}

export interface Targets {
  /** Gateway ÷ direct throughput at the default connections, at least. */
  rpsRatio?: number;
  /** Added p50 latency at 1 connection, ms, at most. */
  addedP50Ms?: number;
  /** Added time to the first streamed chunk at 1 connection, ms, at most. */
  addedTtfbMs?: number;
}

/** Same-dialect passthrough of a small answer. */
const TEXT_TARGETS: Targets = { rpsRatio: 0.4, addedP50Ms: 0.3 };

const json = { 'content-type': 'application/json' };

function sameRequest(name: string, c: Omit<LoadCase, 'headers'>, directAuth: Record<string, string>, gatewayAuth: Record<string, string>): BenchCase {
  return {
    name,
    direct: { ...c, headers: { ...json, ...directAuth } },
    gateway: { ...c, headers: { ...json, ...gatewayAuth } },
  };
}

const chatBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in five words.' }], max_tokens: 32 });
const streamedChat: Omit<LoadCase, 'headers'> = {
  path: '/v1/chat/completions',
  body: JSON.stringify({ ...JSON.parse(chatBody), stream: true }),
  firstChunk: true,
};
const geminiBody = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Say hello in five words.' }] }] });
// Image answers from the simulator's cache: 1K ≈ 1.4 MB of PNG (≈1.9 MB of
// base64 JSON), 4K ≈ 20 MB of PNG. 3.1 Flash at its default thinking level
// sends no thought images, so the answer is one image.
const imageBody = (imageSize: string) =>
  JSON.stringify({
    contents: [{ role: 'user', parts: [{ text: 'A lighthouse at dawn' }] }],
    generationConfig: { responseModalities: ['IMAGE'], imageConfig: { aspectRatio: '1:1', imageSize } },
  });

// The converted path: an OpenAI chat client asking for a Claude model on an
// Anthropic channel, against the simulator answering the same question in
// Anthropic's own format directly.
const claudeAsked = { model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'Say hello in five words.' }], max_tokens: 32 };
const convertedCase = (stream: boolean): BenchCase => ({
  name: `openai chat → anthropic channel, ${stream ? 'streamed' : 'text'}, converted`,
  direct: {
    path: '/v1/messages',
    body: JSON.stringify({ ...claudeAsked, stream }),
    headers: { ...json, 'x-api-key': 'sim-key', 'anthropic-version': '2023-06-01' },
    ...(stream && { firstChunk: true }),
  },
  gateway: {
    path: '/v1/chat/completions',
    body: JSON.stringify({ ...claudeAsked, stream }),
    headers: { ...json, authorization: `Bearer ${BENCH_TOKEN}` },
    ...(stream && { firstChunk: true }),
  },
  targets: stream ? { rpsRatio: 0.25, addedTtfbMs: 1 } : { rpsRatio: 0.25, addedP50Ms: 0.8 },
});

export const CASES: BenchCase[] = [
  {
    ...sameRequest(
      'openai chat, text, passthrough',
      { path: '/v1/chat/completions', body: chatBody },
      { authorization: 'Bearer sim-key' },
      { authorization: `Bearer ${BENCH_TOKEN}` },
    ),
    targets: TEXT_TARGETS,
    floor: true,
  },
  {
    ...sameRequest('openai chat, streamed, passthrough', streamedChat, { authorization: 'Bearer sim-key' }, { authorization: `Bearer ${BENCH_TOKEN}` }),
    targets: { rpsRatio: 0.4, addedTtfbMs: 1 },
  },
  {
    ...sameRequest(
      'gemini generateContent, text, passthrough',
      { path: '/v1beta/models/gemini-2.5-flash:generateContent', body: geminiBody },
      { 'x-goog-api-key': 'sim-key' },
      { 'x-goog-api-key': BENCH_TOKEN },
    ),
    targets: TEXT_TARGETS,
  },
  {
    ...sameRequest(
      'gemini image 1K (~1.9 MB answer), passthrough',
      { path: '/v1beta/models/gemini-3.1-flash-image-preview:generateContent', body: imageBody('1K') },
      { 'x-goog-api-key': 'sim-key' },
      { 'x-goog-api-key': BENCH_TOKEN },
    ),
    inFlightMemory: { connections: 16 },
    targets: { addedP50Ms: 2 },
  },
  {
    ...sameRequest(
      'gemini image 4K (~27 MB answer), passthrough',
      { path: '/v1beta/models/gemini-3.1-flash-image-preview:generateContent', body: imageBody('4K') },
      { 'x-goog-api-key': 'sim-key' },
      { 'x-goog-api-key': BENCH_TOKEN },
    ),
    connections: 8,
    inFlightMemory: { connections: 8 },
  },
  convertedCase(false),
  convertedCase(true),
];

/**
 * Many slow streams held open at once through a fresh gateway: RSS growth per
 * stream (`held-streams.ts`). The simulator's drip fault spaces the events
 * (a 21-event answer lasts ~20 × dripMs).
 */
export const HELD_STREAMS = {
  name: 'openai chat, 2,000 held streams',
  gateway: { ...streamedChat, headers: { ...json, authorization: `Bearer ${BENCH_TOKEN}` } } satisfies LoadCase,
  streams: 2000,
  dripMs: 1000,
  targetKiBPerStream: 64,
};
