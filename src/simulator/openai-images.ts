// POST /v1/images/generations, like OpenAI: gpt-image-* (always b64_json,
// with token usage), dall-e-3 and dall-e-2 (url by default). Images are real
// PNGs at the asked size; URLs point back at the simulator's /__sim/images/.

import { asRecord, type SimContext } from './context.js';
import { openaiError } from './errors.js';
import { newId } from './ids.js';
import { blobPlaceholder, jsonWithBlobs } from './json-blobs.js';
import { getImage } from './png.js';
import { countTokens } from './text.js';

interface Family {
  sizes: readonly string[];
  defaultSize: string;
  maxN: number;
  tokenUsage: boolean;
  defaultFormat: 'url' | 'b64_json';
}

const GPT_IMAGE: Family = { sizes: ['1024x1024', '1024x1536', '1536x1024', 'auto'], defaultSize: 'auto', maxN: 10, tokenUsage: true, defaultFormat: 'b64_json' };
const DALL_E_3: Family = { sizes: ['1024x1024', '1792x1024', '1024x1792'], defaultSize: '1024x1024', maxN: 1, tokenUsage: false, defaultFormat: 'url' };
const DALL_E_2: Family = { sizes: ['256x256', '512x512', '1024x1024'], defaultSize: '1024x1024', maxN: 10, tokenUsage: false, defaultFormat: 'url' };

function family(model: string): Family {
  if (model.startsWith('dall-e-3')) return DALL_E_3;
  if (model.startsWith('dall-e-2')) return DALL_E_2;
  return GPT_IMAGE;
}

// gpt-image-1 output tokens by quality and size (OpenAI's published table).
const OUTPUT_TOKENS: Record<string, Record<string, number>> = {
  low: { '1024x1024': 272, '1024x1536': 408, '1536x1024': 400 },
  medium: { '1024x1024': 1056, '1024x1536': 1584, '1536x1024': 1568 },
  high: { '1024x1024': 4160, '1024x1536': 6240, '1536x1024': 6208 },
};

function listValues(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}` : quoted.join('');
}

export async function handleImageGenerations(ctx: SimContext): Promise<void> {
  const body = asRecord(ctx.json);
  const model = ctx.model ?? 'dall-e-2';
  if (model.includes('nonexistent')) {
    return ctx.reply.error(openaiError(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', null, 'model_not_found'));
  }
  const fam = family(model);
  if (typeof body.prompt !== 'string' || body.prompt === '') {
    return ctx.reply.error(openaiError(400, "Missing required parameter: 'prompt'.", 'invalid_request_error', 'prompt', 'missing_required_parameter'));
  }
  const size = body.size === undefined || body.size === null ? fam.defaultSize : body.size;
  if (typeof size !== 'string' || !fam.sizes.includes(size)) {
    return ctx.reply.error(openaiError(400, `Invalid value: '${String(size)}'. Supported values are: ${listValues(fam.sizes)}.`, 'invalid_request_error', 'size', 'invalid_value'));
  }
  const n = body.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > fam.maxN) {
    const message = fam.maxN === 1 ? 'You must provide n=1 for this model.' : `Invalid 'n': expected an integer between 1 and ${fam.maxN}, but got ${JSON.stringify(n)} instead.`;
    return ctx.reply.error(openaiError(400, message, 'invalid_request_error', 'n', 'invalid_value'));
  }
  const format = fam.tokenUsage ? 'b64_json' : body.response_format ?? fam.defaultFormat;
  if (format !== 'url' && format !== 'b64_json') {
    return ctx.reply.error(openaiError(400, `Invalid value: '${String(format)}'. Supported values are: 'url' and 'b64_json'.`, 'invalid_request_error', 'response_format', 'invalid_value'));
  }

  const pixels = size === 'auto' ? '1024x1024' : size;
  const [width, height] = pixels.split('x').map(Number) as [number, number];
  const image = await getImage(width, height);
  const item = (): Record<string, unknown> => {
    const entry: Record<string, unknown> =
      format === 'url' ? { url: `${ctx.origin}/__sim/images/${pixels}.png` } : { b64_json: blobPlaceholder(0) };
    if (model.startsWith('dall-e-3')) entry.revised_prompt = body.prompt;
    return entry;
  };
  const response: Record<string, unknown> = { created: Math.floor(Date.now() / 1000), data: Array.from({ length: n }, item) };
  if (fam.tokenUsage) {
    const quality = typeof body.quality === 'string' && body.quality in OUTPUT_TOKENS ? body.quality : 'medium';
    const perImage = OUTPUT_TOKENS[quality]?.[pixels] ?? 0;
    const textTokens = countTokens(body.prompt);
    Object.assign(response, {
      background: body.background === 'transparent' ? 'transparent' : 'opaque',
      output_format: 'png',
      quality,
      size: pixels,
      usage: {
        input_tokens: textTokens,
        input_tokens_details: { text_tokens: textTokens, image_tokens: 0 },
        output_tokens: perImage * n,
        total_tokens: textTokens + perImage * n,
      },
    });
  }
  ctx.reply.send(200, jsonWithBlobs(response, [image.base64]), {
    'content-type': 'application/json',
    'x-request-id': newId('req_'),
  });
}
