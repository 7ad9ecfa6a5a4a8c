import type { Provider } from './types.js';
import { joinVersioned, splitBaseUrl } from './url.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export const anthropicProvider: Provider = {
  type: 'anthropic',
  dialects: ['anthropic'],
  codecs: ['anthropic-messages'],
  target(call) {
    const { origin, basePath } = splitBaseUrl(call.channel.baseUrl || 'https://api.anthropic.com');
    return {
      origin,
      path: joinVersioned(basePath, `/v1${call.operation}`),
      headers: {
        'anthropic-version': ANTHROPIC_VERSION,
        ...call.forwardHeaders,
        'x-api-key': call.key,
      },
    };
  },
};
