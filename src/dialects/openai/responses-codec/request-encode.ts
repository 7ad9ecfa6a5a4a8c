// Canonical → a Responses request for an OpenAI-style upstream (`POST /responses`).
// The canonical request is shared between candidate upstreams: never mutate it.
import type { EncodedRequest, EncodeRequestOptions } from '../../canonical/codec.js';
import type { CanonicalRequest, ImageOptions, Part, ReasoningOptions, ResponseFormat, ToolChoice } from '../../canonical/types.js';
import { GatewayError } from '../../errors.js';
import { encodeInput, encodeInputPart } from './input-encode.js';

type Json = Record<string, unknown>;

// OpenAI's encrypted reasoning is a Fernet token; any other signature (Anthropic's, Gemini's) would be refused.
const openAIEncrypted = /^gAAAAA/;

export function encodeResponsesRequest(req: CanonicalRequest, opts: EncodeRequestOptions): EncodedRequest {
  if (req.n !== undefined && req.n > 1) {
    throw new GatewayError('invalid_request', 'n > 1 is not supported by this model\'s channel (OpenAI Responses returns one answer).', { param: 'n' });
  }
  const body: Json = { model: opts.model };
  const { instructions, systemItem } = encodeSystem(req.system);
  if (instructions !== undefined) body.instructions = instructions;
  const keepSignature = opts.provider === 'openai' ? (s: string) => openAIEncrypted.test(s) : () => true;
  const input = encodeInput(req.messages, keepSignature);
  body.input = systemItem ? [systemItem, ...input.items] : input.items;

  const tools: Json[] = (req.tools ?? []).map((t) => ({
    type: 'function',
    name: t.name,
    ...(t.description !== undefined && { description: t.description }),
    parameters: t.parameters ?? { type: 'object', properties: {} },
    // Schemas from other dialects rarely meet strict mode's rules (every property required, no extras).
    strict: false,
  }));
  if (req.modalities?.includes('image')) tools.push(imageTool(req.image));
  if (tools.length > 0) body.tools = tools;
  if (req.toolChoice !== undefined) body.tool_choice = encodeToolChoice(req.toolChoice);
  if (req.parallelToolCalls !== undefined) body.parallel_tool_calls = req.parallelToolCalls;
  if (req.maxOutputTokens !== undefined) body.max_output_tokens = req.maxOutputTokens;
  if (req.temperature !== undefined) body.temperature = req.temperature;
  if (req.topP !== undefined) body.top_p = req.topP;
  if (req.responseFormat) body.text = { format: encodeFormat(req.responseFormat) };
  if (req.reasoning) {
    const reasoning = encodeReasoning(req.reasoning);
    if (reasoning) body.reasoning = reasoning;
  }
  // Reasoning can only round-trip through clients of other dialects as encrypted content.
  if (req.reasoning || input.replaysReasoning) body.include = ['reasoning.encrypted_content'];
  // Nothing of another dialect's client can ever refer to a stored response: keep none.
  body.store = false;
  if (req.stream) body.stream = true;
  if (req.user !== undefined) body.user = req.user;
  return { operation: '/responses', query: '', body };
}

/** System text becomes `instructions`; system media (rare) needs a system message instead. */
function encodeSystem(system: Part[]): { instructions?: string; systemItem?: Json } {
  if (system.length === 0) return {};
  if (system.every((p) => p.type === 'text')) return { instructions: system.map((p) => (p.type === 'text' ? p.text : '')).join('\n\n') };
  const content: Json[] = [];
  for (const part of system) {
    const encoded = encodeInputPart(part);
    if (encoded) content.push(encoded);
  }
  return { systemItem: { type: 'message', role: 'system', content } };
}

function encodeToolChoice(choice: ToolChoice): unknown {
  return typeof choice === 'string' ? choice : { type: 'function', name: choice.name };
}

function encodeFormat(format: ResponseFormat): Json {
  if (format.type !== 'json_schema') return { type: format.type };
  return {
    type: 'json_schema',
    // OpenAI requires a name; other dialects may have none.
    name: format.name ?? 'response',
    schema: format.schema,
    ...(format.description !== undefined && { description: format.description }),
    ...(format.strict !== undefined && { strict: format.strict }),
  };
}

function encodeReasoning(r: ReasoningOptions): Json | undefined {
  const effort = r.effort ?? effortForBudget(r.budgetTokens);
  const out: Json = {};
  if (effort !== undefined) out.effort = effort;
  if (r.includeThoughts) out.summary = 'auto';
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A token budget (Anthropic, Gemini) → the nearest effort; -1 (dynamic) leaves the model's default. */
function effortForBudget(budget: number | undefined): string | undefined {
  if (budget === undefined || budget < 0) return undefined;
  if (budget === 0) return 'minimal';
  if (budget <= 2048) return 'low';
  if (budget <= 12288) return 'medium';
  return 'high';
}

/** Image output goes through the image_generation tool; the aspect ratio picks the nearest size it offers. */
function imageTool(image: ImageOptions | undefined): Json {
  const ratio = image?.aspectRatio?.split(':').map(Number);
  if (!ratio || ratio.length !== 2 || !ratio[0] || !ratio[1]) return { type: 'image_generation' };
  const r = ratio[0] / ratio[1];
  const size = r > 1.2 ? '1536x1024' : r < 1 / 1.2 ? '1024x1536' : '1024x1024';
  return { type: 'image_generation', size };
}
