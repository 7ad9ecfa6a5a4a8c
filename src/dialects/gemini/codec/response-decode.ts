// An upstream's whole GenerateContentResponse → canonical.
import type { CanonicalResponse, Choice, Part } from '../../canonical/types.js';
import { decodeFinishReason } from './finish-reason.js';
import { newResponseId } from './ids.js';
import { candidateParts, decodeResponsePart } from './response-parts.js';
import { decodeUsageMetadata } from './usage-metadata.js';
import { badUpstream, isRec, upstreamErrorOf, type Rec } from './wire.js';

function decodeCandidate(raw: unknown, position: number): Choice {
  if (!isRec(raw)) throw badUpstream(`Gemini answered with candidate ${position} that is not an object.`);
  const parts: Part[] = [];
  let hasToolCall = false;
  for (const p of candidateParts(raw)) {
    const part = decodeResponsePart(p);
    if (!part) continue;
    if (part.type === 'tool_call') hasToolCall = true;
    parts.push(part);
  }
  const index = typeof raw.index === 'number' && Number.isInteger(raw.index) && raw.index >= 0 ? raw.index : position;
  return { index, parts, finishReason: decodeFinishReason(raw.finishReason, hasToolCall) };
}

/** No candidates: a blocked prompt (promptFeedback.blockReason) or an empty answer. */
function emptyAnswer(json: Rec): Choice[] {
  const feedback = json.promptFeedback;
  const blocked = isRec(feedback) && typeof feedback.blockReason === 'string' && feedback.blockReason !== '';
  return [{ index: 0, parts: [], finishReason: blocked ? 'content_filter' : 'other' }];
}

export function decodeGeminiResponse(json: Record<string, unknown>): CanonicalResponse {
  if (!isRec(json)) throw badUpstream('Gemini answered with something that is not a JSON object.');
  if (isRec(json.error)) throw upstreamErrorOf(json.error);
  const candidates = json.candidates;
  if (candidates !== undefined && candidates !== null && !Array.isArray(candidates)) {
    throw badUpstream('Gemini answered with `candidates` that is not a list.');
  }
  const choices = Array.isArray(candidates) && candidates.length > 0 ? candidates.map(decodeCandidate) : emptyAnswer(json);
  const res: CanonicalResponse = {
    id: typeof json.responseId === 'string' && json.responseId !== '' ? json.responseId : newResponseId(),
    model: typeof json.modelVersion === 'string' ? json.modelVersion : '',
    created: Math.floor(Date.now() / 1000),
    choices,
  };
  const usage = decodeUsageMetadata(json.usageMetadata);
  if (usage) res.usage = usage;
  return res;
}
