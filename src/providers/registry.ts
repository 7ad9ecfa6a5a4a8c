import { anthropicProvider } from './anthropic.js';
import { geminiProvider } from './gemini.js';
import { openaiCompatibleProvider, openaiProvider } from './openai.js';
import { simulatorProvider } from './simulator.js';
import type { Provider } from './types.js';
import { vertexProvider } from './vertex.js';

/** Channel types the gateway knows, by name. Config validation lists these. */
export const CHANNEL_TYPES = ['gemini', 'openai', 'anthropic', 'openai-compatible', 'simulator', 'vertex'] as const;

export interface ProviderRegistry {
  get(type: string): Provider | undefined;
}

export function createProviderRegistry(opts: { simulatorUrl: () => string | undefined }): ProviderRegistry {
  const providers = new Map<string, Provider>([
    ['openai', openaiProvider],
    ['openai-compatible', openaiCompatibleProvider],
    ['anthropic', anthropicProvider],
    ['gemini', geminiProvider],
    ['vertex', vertexProvider()],
    ['simulator', simulatorProvider(opts.simulatorUrl)],
  ]);
  return { get: (type) => providers.get(type) };
}
