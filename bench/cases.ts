// What the benchmark measures: each case is the same request sent straight to
// the simulator and through the gateway.
import type { LoadCase } from './load.js';

export const BENCH_TOKEN = 'sk-bench-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';

export interface BenchCase {
  name: string;
  direct: LoadCase;
  gateway: LoadCase;
}

const json = { 'content-type': 'application/json' };

function sameRequest(name: string, c: Omit<LoadCase, 'headers'>, directAuth: Record<string, string>, gatewayAuth: Record<string, string>): BenchCase {
  return {
    name,
    direct: { ...c, headers: { ...json, ...directAuth } },
    gateway: { ...c, headers: { ...json, ...gatewayAuth } },
  };
}

const chatBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in five words.' }], max_tokens: 32 });
const geminiBody = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Say hello in five words.' }] }] });

export const CASES: BenchCase[] = [
  sameRequest(
    'openai chat, text, passthrough',
    { path: '/v1/chat/completions', body: chatBody },
    { authorization: 'Bearer sim-key' },
    { authorization: `Bearer ${BENCH_TOKEN}` },
  ),
  sameRequest(
    'openai chat, streamed, passthrough',
    { path: '/v1/chat/completions', body: JSON.stringify({ ...JSON.parse(chatBody), stream: true }), firstChunk: true },
    { authorization: 'Bearer sim-key' },
    { authorization: `Bearer ${BENCH_TOKEN}` },
  ),
  sameRequest(
    'gemini generateContent, text, passthrough',
    { path: '/v1beta/models/gemini-2.5-flash:generateContent', body: geminiBody },
    { 'x-goog-api-key': 'sim-key' },
    { 'x-goog-api-key': BENCH_TOKEN },
  ),
];
