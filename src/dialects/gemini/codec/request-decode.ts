// A client's GenerateContentRequest (camelCase or snake_case) → canonical.
import type { DecodeRequestOptions } from '../../canonical/codec.js';
import type { CanonicalRequest } from '../../canonical/types.js';
import { decodeContents, decodeSystemInstruction } from './contents-decode.js';
import { decodeGenerationConfig } from './generation-config-decode.js';
import { decodeToolConfig, decodeTools } from './tools-decode.js';
import { FieldReader, field, invalid, isRec, type Rec } from './wire.js';

function modelName(json: Rec, pathModel: string | undefined): string {
  const raw = pathModel ?? json.model;
  if (typeof raw !== 'string' || raw === '') throw invalid('The model is missing: call /v1beta/models/{model}:generateContent.', 'model');
  return raw.startsWith('models/') ? raw.slice(7) : raw;
}

export function decodeGeminiRequest(json: Record<string, unknown>, opts: DecodeRequestOptions): CanonicalRequest {
  if (!isRec(json)) throw invalid('The request body must be a JSON object (a GenerateContentRequest).');
  const req: CanonicalRequest = {
    model: modelName(json, opts.pathModel),
    system: decodeSystemInstruction(field(json, 'systemInstruction', 'system_instruction')),
    messages: decodeContents(json.contents),
    stream: opts.operation === 'streamGenerateContent',
  };
  const tools = decodeTools(json.tools);
  if (tools) req.tools = tools;
  const toolChoice = decodeToolConfig(field(json, 'toolConfig', 'tool_config'));
  if (toolChoice) req.toolChoice = toolChoice;
  const config = new FieldReader(json, '').reader('generationConfig', 'generation_config');
  if (config) decodeGenerationConfig(config, req);
  return req;
}
