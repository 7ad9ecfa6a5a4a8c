// Canonical → the GenerateContentRequest a Gemini (or Vertex) upstream takes, camelCase.
import type { EncodedRequest, EncodeRequestOptions } from '../../canonical/codec.js';
import type { CanonicalRequest, ToolChoice, ToolDefinition } from '../../canonical/types.js';
import { encodeContents } from './contents-encode.js';
import { encodeThinkingConfig } from './thinking-config.js';
import type { Rec } from './wire.js';

function encodeSystem(req: CanonicalRequest): Rec | undefined {
  const parts: Rec[] = [];
  for (const p of req.system) if (p.type === 'text' && p.text !== '') parts.push({ text: p.text });
  return parts.length > 0 ? { parts } : undefined;
}

function encodeTools(tools: ToolDefinition[]): Rec[] {
  const functionDeclarations = tools.map((t) => {
    const decl: Rec = { name: t.name };
    if (t.description !== undefined) decl.description = t.description;
    // parametersJsonSchema takes any JSON Schema; `parameters` only Google's OpenAPI subset.
    if (t.parameters !== undefined) decl.parametersJsonSchema = t.parameters;
    return decl;
  });
  return [{ functionDeclarations }];
}

function encodeToolChoice(choice: ToolChoice): Rec {
  if (choice === 'auto') return { functionCallingConfig: { mode: 'AUTO' } };
  if (choice === 'none') return { functionCallingConfig: { mode: 'NONE' } };
  if (choice === 'required') return { functionCallingConfig: { mode: 'ANY' } };
  return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.name] } };
}

function encodeModalities(modalities: CanonicalRequest['modalities']): string[] | undefined {
  if (!modalities || modalities.length === 0) return undefined;
  // Image models answer with text beside the image; asking for IMAGE alone can fail on some.
  if (modalities.includes('image')) return ['TEXT', 'IMAGE'];
  return modalities.map((m) => m.toUpperCase());
}

function encodeGenerationConfig(req: CanonicalRequest, model: string): Rec | undefined {
  const g: Rec = {};
  if (req.maxOutputTokens !== undefined) g.maxOutputTokens = req.maxOutputTokens;
  if (req.temperature !== undefined) g.temperature = req.temperature;
  if (req.topP !== undefined) g.topP = req.topP;
  if (req.topK !== undefined) g.topK = req.topK;
  if (req.stop && req.stop.length > 0) g.stopSequences = req.stop;
  if (req.n !== undefined && req.n > 1) g.candidateCount = req.n;
  if (req.seed !== undefined) g.seed = req.seed;
  if (req.presencePenalty !== undefined) g.presencePenalty = req.presencePenalty;
  if (req.frequencyPenalty !== undefined) g.frequencyPenalty = req.frequencyPenalty;
  const format = req.responseFormat;
  if (format && format.type !== 'text') {
    g.responseMimeType = 'application/json';
    if (format.type === 'json_schema') g.responseJsonSchema = format.schema;
  }
  const modalities = encodeModalities(req.modalities);
  if (modalities) g.responseModalities = modalities;
  if (req.image && (req.image.aspectRatio || req.image.imageSize)) {
    const image: Rec = {};
    if (req.image.aspectRatio) image.aspectRatio = req.image.aspectRatio;
    if (req.image.imageSize) image.imageSize = req.image.imageSize;
    g.imageConfig = image;
  }
  const thinking = encodeThinkingConfig(req.reasoning, model);
  if (thinking) g.thinkingConfig = thinking;
  return Object.keys(g).length > 0 ? g : undefined;
}

export function encodeGeminiRequest(req: CanonicalRequest, opts: EncodeRequestOptions): EncodedRequest {
  const body: Rec = { contents: encodeContents(req.messages) };
  const system = encodeSystem(req);
  if (system) body.systemInstruction = system;
  if (req.tools && req.tools.length > 0) {
    body.tools = encodeTools(req.tools);
    if (req.toolChoice !== undefined) body.toolConfig = encodeToolChoice(req.toolChoice);
  }
  const config = encodeGenerationConfig(req, opts.model);
  if (config) body.generationConfig = config;
  return req.stream
    ? { operation: 'streamGenerateContent', query: 'alt=sse', body }
    : { operation: 'generateContent', query: '', body };
}
