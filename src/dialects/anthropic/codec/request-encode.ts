// The canonical request → an Anthropic Messages request for an upstream channel.
import type { EncodedRequest, EncodeRequestOptions } from '../../canonical/codec.js';
import type { CanonicalRequest, ToolChoice, ToolDefinition } from '../../canonical/types.js';
import { GatewayError } from '../../errors.js';
import { encodeMessages, encodeSystem, type AnthropicMessage, type Block } from './content-encode.js';
import { maxTokensFor, thinkingBudget } from './thinking-budget.js';

const JSON_ONLY_INSTRUCTION = 'Respond with a single valid JSON object only: no prose, no Markdown code fences.';

export function encodeAnthropicRequest(req: CanonicalRequest, opts: EncodeRequestOptions): EncodedRequest {
  if (req.n !== undefined && req.n > 1) {
    throw new GatewayError('invalid_request', 'Claude generates one answer per request: n must be 1', { param: 'n' });
  }
  const unsupported = req.modalities?.find((m) => m !== 'text');
  if (unsupported !== undefined) {
    throw new GatewayError('invalid_request', `Claude cannot generate ${unsupported} output`, { param: 'modalities' });
  }
  const messages = encodeMessages(req.messages);
  if (messages.length === 0) throw new GatewayError('invalid_request', 'messages: at least one non-empty message is required', { param: 'messages' });

  // Claude refuses thinking in a tool loop whose assistant turn lost its signed thinking (a chat
  // client has nowhere to keep it): that turn is then answered without thinking.
  const budget = unsignedToolLoop(messages) ? undefined : thinkingBudget(req.reasoning);
  const body: Record<string, unknown> = { model: opts.model, max_tokens: maxTokensFor(req.maxOutputTokens, budget), messages };

  const system = encodeSystem(req.system);
  if (req.responseFormat?.type === 'json_object') system.push({ type: 'text', text: JSON_ONLY_INSTRUCTION });
  if (system.length > 0) body.system = system;

  if (budget !== undefined) body.thinking = { type: 'enabled', budget_tokens: budget };
  encodeSampling(req, body, budget !== undefined);
  if (req.stop !== undefined && req.stop.length > 0) body.stop_sequences = req.stop;

  if (req.tools !== undefined && req.tools.length > 0) {
    body.tools = req.tools.map(encodeTool);
    const choice = encodeToolChoice(req.toolChoice, req.parallelToolCalls);
    if (choice !== undefined) body.tool_choice = choice;
  }
  // Current API shape (SDK OutputConfig.format); the beta `output_format` is deprecated.
  if (req.responseFormat?.type === 'json_schema') body.output_config = { format: { type: 'json_schema', schema: req.responseFormat.schema } };
  if (req.user !== undefined && req.user !== '') body.metadata = { user_id: req.user };
  if (req.stream) body.stream = true;
  return { operation: '/messages', query: '', body };
}

/** The last turn answers tool calls from an assistant turn that does not open with a thinking block. */
function unsignedToolLoop(messages: AnthropicMessage[]): boolean {
  const last = messages[messages.length - 1];
  const assistant = messages[messages.length - 2];
  if (last?.role !== 'user' || assistant?.role !== 'assistant') return false;
  if (!last.content.some((b) => b.type === 'tool_result')) return false;
  const first = assistant.content[0]?.type;
  return first !== 'thinking' && first !== 'redacted_thinking';
}

/**
 * Claude's ranges differ from OpenAI's: temperature is 0–1, newer models refuse
 * temperature together with top_p, and thinking refuses temperature and top_k
 * and any top_p below 0.95.
 */
function encodeSampling(req: CanonicalRequest, body: Record<string, unknown>, thinking: boolean): void {
  if (!thinking && req.temperature !== undefined) body.temperature = Math.min(1, Math.max(0, req.temperature));
  if (req.topP !== undefined && body.temperature === undefined && (!thinking || req.topP >= 0.95)) body.top_p = req.topP;
  if (!thinking && req.topK !== undefined) body.top_k = req.topK;
}

function encodeTool(tool: ToolDefinition): Block {
  const params = tool.parameters;
  // Anthropic requires an object schema; function schemas from other dialects may omit `type`.
  const inputSchema = params === undefined ? { type: 'object', properties: {} } : params.type === undefined ? { type: 'object', ...params } : params;
  return {
    name: tool.name,
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    input_schema: inputSchema,
  };
}

function encodeToolChoice(choice: ToolChoice | undefined, parallel: boolean | undefined): Block | undefined {
  const single = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...single };
  if (typeof choice === 'object') return { type: 'tool', name: choice.name, ...single };
  if (choice === 'auto' || parallel === false) return { type: 'auto', ...single };
  return undefined;
}
