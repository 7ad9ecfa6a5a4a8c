// A model's price as the API shows it (src/admin/routes/prices.ts,
// src/store/entities.ts ModelPrice), the edit form's state and the body it
// PUTs. All amounts are USD: token rates per million tokens, images per image,
// calls per call; a long-context tier swaps token rates for prompts above a
// number of input tokens. The API takes the fields of src/billing/price-shape.ts only.

export const RATE_FIELDS = [
  'input_per_mtok',
  'cached_input_per_mtok',
  'cache_write_5m_per_mtok',
  'cache_write_1h_per_mtok',
  'output_per_mtok',
  'image_output_per_mtok',
  'reasoning_per_mtok',
] as const;
export type RateField = (typeof RATE_FIELDS)[number];

/** The per-image sizes every image model is asked about (Gemini's), then the fallback. */
export const STANDARD_SIZES = ['512', '1K', '2K', '4K', 'default'] as const;

/** The token rates a long-context tier may change (src/billing/cost.ts reads exactly these). */
export const LONG_RATE_FIELDS = [
  'input_per_mtok',
  'cached_input_per_mtok',
  'cache_write_5m_per_mtok',
  'cache_write_1h_per_mtok',
  'output_per_mtok',
  'reasoning_per_mtok',
] as const;
export type LongRateField = (typeof LONG_RATE_FIELDS)[number];

export type LongContextPrice = Partial<Record<LongRateField, number>> & { above_input_tokens: number };

export type ModelPrice = Partial<Record<RateField, number>> & {
  per_image?: Record<string, number>;
  per_call?: number;
  long_context?: LongContextPrice;
};

export type PriceSource = 'builtin' | 'config' | 'api';

export interface PriceEntry {
  model: string;
  price: ModelPrice;
  source: PriceSource;
  /** The built-in price an override replaces, if any. */
  builtin: ModelPrice | null;
}

export interface ImageRow {
  size: string;
  usd: string;
  /** One of STANDARD_SIZES: always shown, its name fixed. */
  standard: boolean;
}

export interface PriceForm {
  model: string;
  rates: Record<RateField, string>;
  perCall: string;
  images: ImageRow[];
  /** The long-context threshold in input tokens; empty = no long-context tier. */
  longAbove: string;
  longRates: Record<LongRateField, string>;
}

const str = (n: number | undefined) => (n === undefined ? '' : String(n));

export function priceFormFrom(model: string, price: ModelPrice | undefined): PriceForm {
  const rates = Object.fromEntries(RATE_FIELDS.map((f) => [f, str(price?.[f])])) as Record<RateField, string>;
  const perImage = price?.per_image ?? {};
  const images: ImageRow[] = STANDARD_SIZES.map((size) => ({ size, usd: str(perImage[size]), standard: true }));
  for (const [size, usd] of Object.entries(perImage)) {
    if (!(STANDARD_SIZES as readonly string[]).includes(size)) images.push({ size, usd: String(usd), standard: false });
  }
  const long = price?.long_context;
  const longRates = Object.fromEntries(LONG_RATE_FIELDS.map((f) => [f, str(long?.[f])])) as Record<LongRateField, string>;
  return { model, rates, perCall: str(price?.per_call), images, longAbove: str(long?.above_input_tokens), longRates };
}

const isAmount = (s: string) => s.trim() === '' || (/^\d*\.?\d+(e-?\d+)?$/i.test(s.trim()) && Number(s) <= 1e9);
const isTokenCount = (s: string) => /^\d{1,15}$/.test(s.trim()) && Number(s) >= 1;

/** Field → message key; rows of the image table are `image:<index>`, long-context rates `long:<field>`. */
export function priceFormProblems(f: PriceForm, isNew: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (isNew && !/^[^\s\x00-\x1f]{1,128}$/.test(f.model.trim())) out.model = 'errors.model';
  for (const k of RATE_FIELDS) if (!isAmount(f.rates[k])) out[k] = 'errors.amount';
  if (!isAmount(f.perCall)) out.per_call = 'errors.amount';
  const seen = new Set<string>();
  f.images.forEach((row, i) => {
    const size = row.size.trim();
    if (!isAmount(row.usd)) out[`image:${i}`] = 'errors.amount';
    else if (!row.standard && row.usd.trim() !== '' && (size === '' || size.length > 32)) out[`image:${i}`] = 'errors.size';
    else if (row.usd.trim() !== '' && seen.has(size)) out[`image:${i}`] = 'errors.sizeTwice';
    if (row.usd.trim() !== '') seen.add(size);
  });
  // A tier needs both its threshold and at least one rate; the API refuses either alone.
  for (const k of LONG_RATE_FIELDS) if (!isAmount(f.longRates[k])) out[`long:${k}`] = 'errors.amount';
  const longRateSet = LONG_RATE_FIELDS.some((k) => f.longRates[k].trim() !== '');
  if (f.longAbove.trim() !== '' && !isTokenCount(f.longAbove)) out.long_above = 'errors.threshold';
  else if (f.longAbove.trim() === '' && longRateSet) out.long_above = 'errors.thresholdNeeded';
  else if (f.longAbove.trim() !== '' && !longRateSet) out.long_above = 'errors.longRateNeeded';
  if (Object.keys(out).length === 0 && Object.keys(priceBody(f)).length === 0) out.form = 'errors.empty';
  return out;
}

/** The price to PUT: every filled field, nothing else (an override replaces the whole price). */
export function priceBody(f: PriceForm): ModelPrice {
  const body: ModelPrice = {};
  for (const k of RATE_FIELDS) if (f.rates[k].trim() !== '') body[k] = Number(f.rates[k]);
  if (f.perCall.trim() !== '') body.per_call = Number(f.perCall);
  const perImage: Record<string, number> = {};
  for (const row of f.images) if (row.usd.trim() !== '' && row.size.trim() !== '') perImage[row.size.trim()] = Number(row.usd);
  if (Object.keys(perImage).length > 0) body.per_image = perImage;
  if (f.longAbove.trim() !== '') {
    const long: LongContextPrice = { above_input_tokens: Number(f.longAbove) };
    for (const k of LONG_RATE_FIELDS) if (f.longRates[k].trim() !== '') long[k] = Number(f.longRates[k]);
    body.long_context = long;
  }
  return body;
}

/** `deepseek/deepseek-chat` stays a path: each segment encoded on its own. */
export function pricePath(model: string): string {
  return `/api/prices/${model.split('/').map(encodeURIComponent).join('/')}`;
}
