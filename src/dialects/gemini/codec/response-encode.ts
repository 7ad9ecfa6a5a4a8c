// Canonical → the whole GenerateContentResponse a Gemini client expects.
import type { EncodeResponseOptions } from '../../canonical/codec.js';
import type { CanonicalResponse } from '../../canonical/types.js';
import { encodeFinishReason } from './finish-reason.js';
import { encodeOutputPart } from './output-parts.js';
import { encodeUsageMetadata } from './usage-metadata.js';
import type { Rec } from './wire.js';

export function encodeGeminiResponse(res: CanonicalResponse, opts: EncodeResponseOptions): Record<string, unknown> {
  const candidates = res.choices.map((choice) => {
    const parts: Rec[] = [];
    for (const part of choice.parts) {
      const encoded = encodeOutputPart(part);
      if (encoded) parts.push(encoded);
    }
    return { content: { role: 'model', parts }, finishReason: encodeFinishReason(choice.finishReason), index: choice.index };
  });
  const body: Rec = { candidates };
  if (res.usage) body.usageMetadata = encodeUsageMetadata(res.usage);
  body.modelVersion = opts.model;
  body.responseId = res.id;
  return body;
}
