import { anthropicProvider } from './anthropic.js';
import { geminiProvider } from './gemini.js';
import { openaiProvider } from './openai.js';
import type { Provider } from './types.js';

/**
 * The built-in simulator speaks all three dialects natively. A channel with no
 * base_url points at the simulator the gateway runs in-process.
 */
export function simulatorProvider(inProcessUrl: () => string | undefined): Provider {
  const byDialect = { openai: openaiProvider, anthropic: anthropicProvider, gemini: geminiProvider };
  return {
    type: 'simulator',
    dialects: ['openai', 'anthropic', 'gemini'],
    codecs: ['openai-chat', 'openai-responses', 'anthropic-messages', 'gemini'],
    target(call) {
      const baseUrl = call.channel.baseUrl || inProcessUrl();
      if (!baseUrl) throw new Error('simulator channel has no base_url and no in-process simulator is running');
      // A copy of the channel only when the in-process simulator fills in its base URL.
      return byDialect[call.dialect].target(call.channel.baseUrl ? call : { ...call, channel: { ...call.channel, baseUrl } });
    },
  };
}
