// Output items and the Response envelope as the openai SDK types them
// (resources/responses/responses.d.ts); shared by the whole and stream encoders.
import type { CanonicalUsage } from '../../canonical/types.js';
import { emptyCanonicalUsage } from '../../canonical/types.js';
import type { IncompleteReason, ResponseStatus } from './status-map.js';
import { encodeResponsesUsage } from './usage-map.js';

export type Item = Record<string, unknown>;
type ItemStatus = 'in_progress' | 'completed';

export function outputText(text: string): Item {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function messageItem(id: string, status: ItemStatus, content: Item[]): Item {
  return { id, type: 'message', status, role: 'assistant', content };
}

export function reasoningItem(id: string, summaryText: string | undefined, encryptedContent: string | undefined): Item {
  return {
    id,
    type: 'reasoning',
    summary: summaryText === undefined ? [] : [{ type: 'summary_text', text: summaryText }],
    ...(encryptedContent !== undefined && { encrypted_content: encryptedContent }),
  };
}

export function functionCallItem(id: string, status: ItemStatus, callId: string, name: string, args: string): Item {
  return { id, type: 'function_call', status, call_id: callId, name, arguments: args };
}

export function imageItem(id: string, status: ItemStatus, result: string | null): Item {
  return { id, type: 'image_generation_call', status, result };
}

/** A generated image the relay stored by URL cannot be an image_generation_call (whose result is base64): it goes out as markdown. */
export function imageMarkdown(url: string): string {
  return `![image](${url})`;
}

export interface ResponseFields {
  id: string;
  createdAt: number;
  model: string;
  status: ResponseStatus | 'in_progress' | 'failed';
  incompleteReason?: IncompleteReason;
  error?: { code: string; message: string };
  output: Item[];
  /** null while in progress, as OpenAI sends it. */
  usage: CanonicalUsage | undefined | null;
}

export function responseObject(f: ResponseFields): Record<string, unknown> {
  return {
    id: f.id,
    object: 'response',
    created_at: f.createdAt,
    status: f.status,
    background: false,
    error: f.error ?? null,
    incomplete_details: f.incompleteReason ? { reason: f.incompleteReason } : null,
    instructions: null,
    max_output_tokens: null,
    model: f.model,
    output: f.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: null,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: [],
    top_p: null,
    truncation: 'disabled',
    usage: f.usage === null ? null : encodeResponsesUsage(f.usage ?? emptyCanonicalUsage()),
    metadata: {},
  };
}
