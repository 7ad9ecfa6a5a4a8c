// The hub's canonical request, response and stream-event types. Every dialect
// codec decodes its wire format into these and encodes them back out, so any
// client dialect can reach any provider. Same-dialect requests never come
// here: they pass through byte for byte.

/** Where binary content comes from: inline base64, or a URL (http(s) or a provider file URI). */
export interface MediaSource {
  mimeType: string;
  /** Base64 without a `data:` prefix. */
  data?: string;
  url?: string;
}

export type Part =
  | { type: 'text'; text: string; /** Gemini thoughtSignature on a text part. */ signature?: string }
  | ({ type: 'image'; /** A Gemini "thought" image: shown while thinking, never billed. */ thought?: boolean; signature?: string } & MediaSource)
  | ({ type: 'audio' } & MediaSource)
  /** PDFs and other documents. */
  | ({ type: 'file'; filename?: string } & MediaSource)
  | {
      type: 'tool_call';
      /** Stable id; codecs whose wire has none (Gemini) invent one and map results back by name. */
      id: string;
      name: string;
      /** The arguments as JSON text, exactly as the model produced them. */
      arguments: string;
      signature?: string;
    }
  | {
      type: 'tool_result';
      toolCallId: string;
      /** The function name, when known (Gemini needs it). */
      name?: string;
      /** Text or multimodal content of the result. */
      content: Part[];
      isError?: boolean;
    }
  /** Model reasoning: visible text (may be empty) and the provider's signature so it round-trips. */
  | { type: 'thinking'; text: string; signature?: string; /** Anthropic redacted_thinking data. */ redacted?: string };

export type Role = 'user' | 'assistant';

/** A turn. Tool results travel as `tool_result` parts in a user turn (Anthropic's shape). */
export interface Message {
  role: Role;
  parts: Part[];
}

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters?: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name?: string; description?: string; schema: Record<string, unknown>; strict?: boolean };

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high';

export interface ReasoningOptions {
  effort?: ReasoningEffort;
  /** Token budget (Anthropic budget_tokens, Gemini thinkingBudget); -1 = dynamic. */
  budgetTokens?: number;
  /** Show thought summaries / thinking text to the client. */
  includeThoughts?: boolean;
}

export interface ImageOptions {
  /** "16:9" etc. */
  aspectRatio?: string;
  /** "512" | "1K" | "2K" | "4K". */
  imageSize?: string;
}

export type Modality = 'text' | 'image' | 'audio';

export interface CanonicalRequest {
  /** The model the client asked for (the relay swaps in the upstream name before encoding). */
  model: string;
  /** System / developer instructions, in order. */
  system: Part[];
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  /** Choices to generate (OpenAI n, Gemini candidateCount). */
  n?: number;
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  responseFormat?: ResponseFormat;
  reasoning?: ReasoningOptions;
  /** Output modalities asked for; absent = text. */
  modalities?: Modality[];
  image?: ImageOptions;
  stream: boolean;
  /** End-user id for abuse tracking (OpenAI user, Anthropic metadata.user_id). */
  user?: string;
}

/** Why generation stopped, in the hub's words; each codec maps to and from its own. */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error' | 'other';

/**
 * Token counts as the upstream reported them, with totals that include their
 * parts (unlike the billing `Usage`, whose inputTokens excludes cached ones).
 */
export interface CanonicalUsage {
  /** All prompt tokens, cached and cache-written included. */
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  /** All output tokens, reasoning and image tokens included. */
  outputTokens: number;
  reasoningTokens: number;
  outputImageTokens: number;
}

export interface Choice {
  index: number;
  parts: Part[];
  finishReason: FinishReason;
}

export interface CanonicalResponse {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  choices: Choice[];
  usage?: CanonicalUsage;
}

/**
 * One step of a streamed answer. A decoder turns upstream bytes into these; an
 * encoder turns them into the client's bytes. `choice` defaults to 0.
 */
export type StreamEvent =
  | { type: 'start'; id: string; model: string; created: number }
  | { type: 'text'; text: string; choice?: number; signature?: string }
  | { type: 'thinking'; text: string; choice?: number }
  /** The signature that closes a thinking block (Anthropic signature_delta, Gemini thoughtSignature on a thought part). */
  | { type: 'thinking_signature'; signature: string; choice?: number }
  | { type: 'redacted_thinking'; data: string; choice?: number }
  /** A whole image (providers send images whole, never in pieces): inline data, or a URL once the relay has stored it. */
  | ({ type: 'image'; thought?: boolean; signature?: string; choice?: number } & MediaSource)
  /** A tool call opens; `callIndex` counts calls within the choice from 0 and stays stable. */
  | { type: 'tool_call_start'; callIndex: number; id: string; name: string; signature?: string; choice?: number }
  | { type: 'tool_call_delta'; callIndex: number; argumentsDelta: string; choice?: number }
  | { type: 'usage'; usage: CanonicalUsage }
  | { type: 'finish'; reason: FinishReason; choice?: number }
  /** The upstream reported an error mid-stream; encoders end the client's stream with their error event. */
  | { type: 'error'; status: number; message: string };

export function emptyCanonicalUsage(): CanonicalUsage {
  return { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, outputImageTokens: 0 };
}
