// The Responses API's JSON shapes for a planned response: the Response object
// (in progress or finished) and its output items, shared by the whole answer
// and the event stream.

import { asRecord } from './context.js';
import type { ResponsesRequest } from './openai-responses-request.js';

export type PlannedItem =
  | { kind: 'reasoning'; id: string; summary: string | null; encrypted: string | undefined }
  | { kind: 'message'; id: string; text: string; status: 'completed' | 'incomplete' }
  | { kind: 'function_call'; id: string; callId: string; name: string; arguments: string };

export interface ResponsePlan {
  id: string;
  createdAt: number;
  req: ResponsesRequest;
  items: PlannedItem[];
  status: 'completed' | 'incomplete';
  usage: {
    input_tokens: number;
    input_tokens_details: { cached_tokens: number };
    output_tokens: number;
    output_tokens_details: { reasoning_tokens: number };
    total_tokens: number;
  };
}

/** An output item as OpenAI sends it once finished. */
export function itemJson(item: PlannedItem): Record<string, unknown> {
  switch (item.kind) {
    case 'reasoning': {
      const out: Record<string, unknown> = { id: item.id, type: 'reasoning', summary: item.summary === null ? [] : [{ type: 'summary_text', text: item.summary }] };
      if (item.encrypted !== undefined) out.encrypted_content = item.encrypted;
      return out;
    }
    case 'message':
      return { id: item.id, type: 'message', status: item.status, content: [outputText(item.text)], role: 'assistant' };
    case 'function_call':
      return { id: item.id, type: 'function_call', status: 'completed', arguments: item.arguments, call_id: item.callId, name: item.name };
  }
}

export function outputText(text: string): Record<string, unknown> {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

/** The Response object: `in_progress` (no output, no usage yet) or as finished. */
export function responseJson(p: ResponsePlan, stage: 'in_progress' | 'final'): Record<string, unknown> {
  const { req, status } = p;
  const body = req.body;
  const final = stage === 'final';
  return {
    id: p.id,
    object: 'response',
    created_at: p.createdAt,
    status: final ? status : 'in_progress',
    background: false,
    completed_at: final && status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: null,
    incomplete_details: final && status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: req.instructions,
    max_output_tokens: req.maxOutputTokens ?? null,
    max_tool_calls: body.max_tool_calls ?? null,
    model: req.model,
    output: final ? p.items.map(itemJson) : [],
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    prompt_cache_key: body.prompt_cache_key ?? null,
    reasoning: { effort: req.effort, summary: req.summary },
    safety_identifier: body.safety_identifier ?? null,
    service_tier: 'default',
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: { format: req.format, verbosity: asRecord(body.text).verbosity ?? 'medium' },
    tool_choice: req.toolChoice,
    tools: req.tools,
    top_logprobs: body.top_logprobs ?? 0,
    top_p: body.top_p ?? 1,
    truncation: body.truncation ?? 'disabled',
    usage: final ? p.usage : null,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  };
}
