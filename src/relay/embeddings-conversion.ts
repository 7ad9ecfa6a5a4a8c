// Embeddings across dialects: an OpenAI `/v1/embeddings` request served by a
// Gemini channel (batchEmbedContents), and a Gemini embedContent /
// batchEmbedContents request served by an OpenAI-speaking channel. Whole
// answers only; usage is the upstream's count, else an estimate from the text.
import {
  geminiEmbeddingsToOpenAIRequest,
  geminiEmbeddingsToOpenAIResponse,
  openAIEmbeddingsToGeminiRequest,
  openAIEmbeddingsToGeminiResponse,
  parseGeminiEmbeddingsRequest,
  parseOpenAIEmbeddingsRequest,
  type GeminiEmbeddingsInput,
  type OpenAIEmbeddingsInput,
} from '../dialects/gemini/codec/embeddings.js';
import type { DialectName } from '../dialects/types.js';
import { emptyUsage, type Usage } from '../dialects/usage.js';
import type { Provider } from '../providers/types.js';
import type { RelayRouteSpec } from './routes.js';

const OPENAI_EMBEDDINGS = '/embeddings';
const GEMINI_EMBEDDINGS = new Set(['embedContent', 'batchEmbedContents']);

/** The dialect an embeddings request must be converted into for this upstream, or undefined when it cannot be. */
export function embeddingsTarget(spec: RelayRouteSpec, provider: Provider): DialectName | undefined {
  if (spec.dialect === 'openai' && spec.operation === OPENAI_EMBEDDINGS && provider.dialects.includes('gemini')) return 'gemini';
  if (spec.dialect === 'gemini' && GEMINI_EMBEDDINGS.has(spec.operation) && provider.dialects.includes('openai')) return 'openai';
  return undefined;
}

export interface EmbeddingsConversion {
  encode(upstreamModel: string): { dialect: DialectName; operation: string; body: Record<string, unknown> };
  /** The upstream's answer in the client's shape. */
  decode(json: Record<string, unknown>): Record<string, unknown>;
  usageOf(answer: Record<string, unknown>): Usage;
}

function tokensUsage(tokens: number): Usage {
  return { ...emptyUsage(), inputTokens: tokens };
}

function estimate(inputs: string[]): number {
  let chars = 0;
  for (const s of inputs) chars += s.length;
  return Math.ceil(chars / 4);
}

export function decodeEmbeddings(spec: RelayRouteSpec, json: Record<string, unknown>, pathModel: string | undefined): EmbeddingsConversion {
  if (spec.dialect === 'openai') {
    const input: OpenAIEmbeddingsInput = parseOpenAIEmbeddingsRequest(json);
    return {
      encode: (model) => ({ dialect: 'gemini', ...openAIEmbeddingsToGeminiRequest(input, model) }),
      decode: (answer) => geminiEmbeddingsToOpenAIResponse(answer, input),
      usageOf: (answer) => tokensUsage(Number((answer.usage as { prompt_tokens?: number } | undefined)?.prompt_tokens) || estimate(input.inputs)),
    };
  }
  const input: GeminiEmbeddingsInput = parseGeminiEmbeddingsRequest(json, { operation: spec.operation, ...(pathModel !== undefined && { pathModel }) });
  let reported = 0;
  return {
    encode: (model) => ({ dialect: 'openai', operation: OPENAI_EMBEDDINGS, body: geminiEmbeddingsToOpenAIRequest(input, model) }),
    decode: (answer) => {
      reported = Number((answer.usage as { prompt_tokens?: number } | undefined)?.prompt_tokens) || 0;
      return openAIEmbeddingsToGeminiResponse(answer, input);
    },
    usageOf: () => tokensUsage(reported || estimate(input.inputs)),
  };
}
