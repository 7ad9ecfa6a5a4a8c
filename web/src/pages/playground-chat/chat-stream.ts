// One streamed chat completion through the relay (OpenAI's wire format):
// POST /v1/chat/completions with `stream: true`, the SSE read as it arrives,
// each text delta handed to `onText` at once. Aborting the signal stops it.
import { errorFromBody, RelayError, relayErrorFrom } from '../playground-image/relay-error';
import { SseDecoder } from './sse';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens?: number;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  temperature?: number;
  max_tokens?: number;
}

export interface StreamOptions {
  baseUrl: string;
  key: string;
  request: ChatRequest;
  signal: AbortSignal;
  onText: (delta: string) => void;
  /** Extra request headers (the simulator's `x-sim-fault` in tests and demos). */
  headers?: Record<string, string>;
}

export interface StreamResult {
  requestId: string | null;
  finishReason?: string;
  usage?: ChatUsage;
}

interface Chunk {
  choices?: Array<{ delta?: { content?: string | null }; message?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: ChatUsage | null;
  error?: unknown;
}

/** Folds one chunk (or a whole non-streamed answer) into the result; returns its text. */
function take(chunk: Chunk, result: StreamResult): string {
  const err = errorFromBody(chunk);
  if (err) throw new RelayError(200, err.message, err.code);
  if (chunk.usage) result.usage = chunk.usage;
  const choice = chunk.choices?.[0];
  if (choice?.finish_reason) result.finishReason = choice.finish_reason;
  return choice?.delta?.content ?? choice?.message?.content ?? '';
}

export async function streamChat(o: StreamOptions): Promise<StreamResult> {
  let res: Response;
  try {
    res = await fetch(`${o.baseUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...o.headers, 'content-type': 'application/json', authorization: `Bearer ${o.key}` },
      body: JSON.stringify({ ...o.request, stream: true, stream_options: { include_usage: true } }),
      signal: o.signal,
    });
  } catch (err) {
    if (o.signal.aborted) throw err;
    throw new RelayError(0, (err as Error).message);
  }
  if (!res.ok) throw await relayErrorFrom(res);
  const result: StreamResult = { requestId: res.headers.get('x-request-id') };

  // A relay that ignored `stream` answers with one JSON body.
  if (!(res.headers.get('content-type') ?? '').includes('text/event-stream') || !res.body) {
    const text = take((await res.json()) as Chunk, result);
    if (text) o.onText(text);
    return result;
  }

  const reader = res.body.getReader();
  const utf8 = new TextDecoder();
  const decoder = new SseDecoder();
  const handle = (data: string): boolean => {
    if (data === '[DONE]') return true;
    let chunk: Chunk;
    try {
      chunk = JSON.parse(data) as Chunk;
    } catch {
      return false; // not JSON: a keep-alive or a stray line
    }
    const text = take(chunk, result);
    if (text) o.onText(text);
    return false;
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      const events = done ? [...decoder.push(utf8.decode()), ...decoder.end()] : decoder.push(utf8.decode(value, { stream: true }));
      for (const e of events) if (handle(e.data)) return result;
      if (done) return result;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}
