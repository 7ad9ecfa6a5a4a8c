// The cost of a request, from its price and usage, in integer micro-dollars.
// A price in USD per million tokens is micro-dollars per token, so each part
// is tokens × rate; images priced per image are count × USD × 1e6. The sum is
// multiplied by the group ratio and rounded once, half-up.
import type { ModelPrice } from '../store/entities.js';
import { MICROS_PER_USD, roundHalfUp, roundUp } from './money.js';

/**
 * Token counts by kind; the same shape as the dialects' `Usage` (pass it as
 * is). `inputTokens` is uncached input only. `cacheWrite1hTokens`, when a
 * dialect reports it, is the part of `cacheWriteTokens` written with a 1-hour TTL.
 */
export interface TokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens?: number;
  outputTextTokens: number;
  outputImageTokens: number;
  reasoningTokens: number;
}

/** The images an answer held (the relay's ImageFacts fits). */
export interface BilledImages {
  count: number;
  /** "512" | "1K" | "2K" | "4K", or an OpenAI size such as "1024x1536". */
  size?: string;
  /** OpenAI image quality ("low" | "medium" | "high" | "standard" | "hd"), when known. */
  quality?: string;
}

/** What is known before the call (the relay's RequestFacts fits). */
export interface EstimateFacts {
  promptTokens: number;
  maxOutputTokens?: number;
  images?: BilledImages;
  /** Input images attached; each is reckoned at REFERENCE_IMAGE_TOKENS prompt tokens. */
  referenceImages?: number;
}

/** Micro-dollars by price kind before the group ratio, plus `ratio`: stored as usage_logs.cost_detail. */
export type CostDetail = Record<string, number>;

export interface Cost {
  micros: number;
  detail: CostDetail;
}

/** Prompt tokens one input image is reckoned at in an estimate (Gemini 3 bills 560). */
export const REFERENCE_IMAGE_TOKENS = 560;
/** Output cap assumed when a request sets none. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 8192;
/** The same for models that think before they answer (their thoughts bill as output). */
export const REASONING_MAX_OUTPUT_TOKENS = 32_768;
/**
 * Text and thinking an image request may bill on top of its images when the
 * client set no output cap (Gemini 3 Pro Image always thinks, a few hundred tokens).
 */
export const IMAGE_TEXT_ALLOWANCE_TOKENS = 1024;
/** Output tokens per image when a model has no per-image price: the largest any known model bills. */
export const WORST_TOKENS_PER_IMAGE: Readonly<Record<string, number>> = {
  '512': 747,
  '1K': 1290,
  '2K': 1680,
  '4K': 2520,
  '1024x1024': 4160,
  '1024x1536': 6240,
  '1536x1024': 6208,
  default: 6240,
};

const REASONING_MODEL = /(^|\/)(o\d|gpt-5|deepseek-reasoner|gemini-2\.5-(pro|flash)|gemini-3|claude-(opus|sonnet)-4)/i;

/** The output cap to reserve for when the client set none. */
export function defaultMaxOutputTokens(model: string | undefined): number {
  return model !== undefined && REASONING_MODEL.test(model) ? REASONING_MAX_OUTPUT_TOKENS : DEFAULT_MAX_OUTPUT_TOKENS;
}

interface Rates {
  input: number;
  cached: number;
  write5m: number;
  write1h: number;
  output: number;
  reasoning: number;
  imageTokens: number;
}

/** Every token rate a price implies, defaults filled in, long-context tier applied. */
function rates(price: ModelPrice, promptTokens: number): Rates {
  const lc = price.long_context;
  const long = lc !== undefined && promptTokens > lc.above_input_tokens ? lc : undefined;
  const input = long?.input_per_mtok ?? price.input_per_mtok ?? 0;
  const output = long?.output_per_mtok ?? price.output_per_mtok ?? 0;
  return {
    input,
    cached: long?.cached_input_per_mtok ?? price.cached_input_per_mtok ?? input,
    write5m: long?.cache_write_5m_per_mtok ?? price.cache_write_5m_per_mtok ?? input * 1.25,
    write1h: long?.cache_write_1h_per_mtok ?? price.cache_write_1h_per_mtok ?? input * 2,
    output,
    reasoning: long?.reasoning_per_mtok ?? price.reasoning_per_mtok ?? output,
    imageTokens: price.image_output_per_mtok ?? output,
  };
}

function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

function checkRatio(groupRatio: number): void {
  if (!(typeof groupRatio === 'number' && Number.isFinite(groupRatio) && groupRatio >= 0)) {
    throw new RangeError(`group ratio must be a number ≥ 0 (got ${groupRatio})`);
  }
}

function hasEntries(table: Record<string, number> | undefined): table is Record<string, number> {
  return table !== undefined && Object.keys(table).length > 0;
}

/** USD for one image: "quality:size", then size, then "default"; undefined when none applies. */
export function perImagePrice(table: Record<string, number> | undefined, images: BilledImages): number | undefined {
  if (!table) return undefined;
  const size = images.size?.trim();
  const quality = images.quality?.trim().toLowerCase();
  if (size) {
    if (quality && table[`${quality}:${size}`] !== undefined) return table[`${quality}:${size}`];
    if (table[size] !== undefined) return table[size];
    const upper = size.toUpperCase(); // "1k" → "1K"
    if (table[upper] !== undefined) return table[upper];
  }
  return table.default;
}

/**
 * The dearest USD one image can cost when the exact entry is unknown: the
 * dearest entry for its size (any quality), else "default", else the dearest
 * entry of all.
 */
export function worstPerImagePrice(table: Record<string, number>, images: Pick<BilledImages, 'size'>): number {
  const size = images.size?.trim().toUpperCase();
  let sized: number | undefined;
  for (const [key, usd] of Object.entries(table)) {
    const keySize = key.slice(key.indexOf(':') + 1).toUpperCase();
    if (size !== undefined && keySize === size) sized = Math.max(sized ?? 0, usd);
  }
  if (sized !== undefined) return sized;
  if (size !== undefined && table.default !== undefined) return table.default;
  return Math.max(0, ...Object.values(table));
}

/** Rounds a part to 6 decimals so stored details do not carry float noise. */
function tidy(x: number): number {
  return Number(x.toFixed(6));
}

/**
 * The real cost of a finished request. Rules:
 * - uncached input × input; cached input × cached rate (default: input rate);
 * - cache writes × 5-minute rate (default 1.25× input), the 1-hour part × 1-hour rate (default 2×);
 * - text output × output; reasoning × reasoning rate (default: output rate);
 * - images: a per-image price for their size (or "default") bills count × price and the
 *   image tokens are not charged again; otherwise image tokens × image rate (default:
 *   output rate); images reported with no tokens and no matching price bill at the
 *   dearest per-image entry for their size, if the table has any;
 * - per_call once; then everything × groupRatio, rounded half-up once.
 */
export function computeCost(price: ModelPrice, usage: TokenUsage | undefined, images: BilledImages | undefined, groupRatio: number): Cost {
  checkRatio(groupRatio);
  const input = count(usage?.inputTokens);
  const cached = count(usage?.cachedInputTokens);
  const writes = count(usage?.cacheWriteTokens);
  const writes1h = Math.min(writes, count(usage?.cacheWrite1hTokens));
  const imageTokens = count(usage?.outputImageTokens);
  const imageCount = count(images?.count);
  const r = rates(price, input + cached + writes);

  // Each part in the order the detail lists it; a part that costs nothing is left out.
  let subtotal = 0;
  const detail: CostDetail = {};
  const part = (kind: string, micros: number) => {
    if (micros === 0) return;
    subtotal += micros;
    detail[kind] = tidy(micros);
  };
  part('input', input * r.input);
  part('cached_input', cached * r.cached);
  part('cache_write_5m', (writes - writes1h) * r.write5m);
  part('cache_write_1h', writes1h * r.write1h);
  part('output', count(usage?.outputTextTokens) * r.output);
  part('reasoning', count(usage?.reasoningTokens) * r.reasoning);
  const unit = imageCount > 0 ? perImagePrice(price.per_image, images!) : undefined;
  if (unit !== undefined) {
    part('images', imageCount * unit * MICROS_PER_USD);
  } else if (imageTokens > 0) {
    part('image_output', imageTokens * r.imageTokens);
  } else if (imageCount > 0 && hasEntries(price.per_image)) {
    part('images', imageCount * worstPerImagePrice(price.per_image, images!) * MICROS_PER_USD);
  }
  if (price.per_call) part('per_call', price.per_call * MICROS_PER_USD);
  if (r.input !== (price.input_per_mtok ?? 0) || r.output !== (price.output_per_mtok ?? 0)) detail.long_context = 1;
  detail.ratio = groupRatio;
  return { micros: roundHalfUp(subtotal * groupRatio), detail };
}

/**
 * The most a request can cost, reserved before the upstream call: the prompt
 * estimate (input images at REFERENCE_IMAGE_TOKENS each) at the input rate,
 * plus for image requests the per-image price × count (or tokens per image ×
 * image rate) and text/thinking up to the client's cap (else
 * IMAGE_TEXT_ALLOWANCE_TOKENS); for other requests
 * the output cap (the client's, else a default for the model family) at the
 * dearer of the output and reasoning rates; plus per_call. × groupRatio,
 * rounded up, × calls.
 */
export function estimateWorstCase(price: ModelPrice, facts: EstimateFacts, groupRatio: number, calls = 1, model?: string): number {
  checkRatio(groupRatio);
  const prompt = count(facts.promptTokens) + count(facts.referenceImages) * REFERENCE_IMAGE_TOKENS;
  const r = rates(price, prompt);
  const outRate = Math.max(r.output, r.reasoning);
  let micros = prompt * r.input;
  const images = facts.images;
  const imageCount = count(images?.count);
  if (images && imageCount > 0) {
    if (hasEntries(price.per_image)) {
      // Exact when the entry is known; an unknown quality may turn out the dearest.
      const qualityUnknown = !images.quality && hasQualityKeys(price.per_image);
      const unit = qualityUnknown ? undefined : perImagePrice(price.per_image, images);
      const usd = unit ?? worstPerImagePrice(price.per_image, images);
      micros += imageCount * usd * MICROS_PER_USD;
    } else {
      const size = images.size ?? 'default';
      const perImage = WORST_TOKENS_PER_IMAGE[size] ?? WORST_TOKENS_PER_IMAGE[size.toUpperCase()] ?? WORST_TOKENS_PER_IMAGE.default!;
      micros += imageCount * perImage * r.imageTokens;
    }
    const textCap = facts.maxOutputTokens !== undefined && count(facts.maxOutputTokens) > 0 ? count(facts.maxOutputTokens) : IMAGE_TEXT_ALLOWANCE_TOKENS;
    micros += textCap * outRate;
  } else {
    const cap = facts.maxOutputTokens !== undefined && count(facts.maxOutputTokens) > 0 ? count(facts.maxOutputTokens) : defaultMaxOutputTokens(model);
    micros += cap * outRate;
  }
  if (price.per_call) micros += price.per_call * MICROS_PER_USD;
  return roundUp(micros * groupRatio) * Math.max(1, Math.floor(calls));
}

function hasQualityKeys(table: Record<string, number>): boolean {
  return Object.keys(table).some((k) => k.includes(':'));
}

/**
 * Usage to bill when a client went away before the upstream reported any:
 * the prompt estimate as input, plus what was actually delivered (≈ 4
 * characters a token) as text output.
 */
export function abortedUsage(promptTokens: number, deliveredChars: number): Required<TokenUsage> {
  return {
    inputTokens: count(promptTokens),
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTextTokens: Math.ceil(count(deliveredChars) / 4),
    outputImageTokens: 0,
    reasoningTokens: 0,
  };
}
