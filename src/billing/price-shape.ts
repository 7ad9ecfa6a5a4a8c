import * as z from 'zod';

/** Builds a strict object; the config file passes its own, whose unknown-field message has a "did you mean". */
type StrictObject = <S extends z.ZodRawShape>(shape: S) => z.ZodObject<S, z.core.$strict>;

/**
 * The long-context tier (store LongContextPrice): the prompt size above which
 * it applies, and the token rates it changes (cost.ts reads exactly these;
 * any it leaves out keep their normal value). A tier with no rate would
 * silently change nothing, so at least one is required.
 */
function longContextShape<Usd extends z.ZodType<number>>(usd: Usd, object: StrictObject) {
  return object({
    above_input_tokens: z.number().int().min(1),
    input_per_mtok: usd.optional(),
    cached_input_per_mtok: usd.optional(),
    cache_write_5m_per_mtok: usd.optional(),
    cache_write_1h_per_mtok: usd.optional(),
    output_per_mtok: usd.optional(),
    reasoning_per_mtok: usd.optional(),
  }).refine((lc) => Object.entries(lc).some(([k, v]) => k !== 'above_input_tokens' && v !== undefined), {
    error: 'set at least one long-context rate',
    // Only for an otherwise valid tier: a misspelt rate is reported as unknown, not also as missing.
    when: (payload) => payload.issues.length === 0,
  });
}

/**
 * The fields of a ModelPrice as validators, for every place that accepts a
 * price from outside (the config file, the management API), so a new price
 * kind is added once. Each caller wraps it in its own strict object.
 */
export function modelPriceShape<Usd extends z.ZodType<number>, SizeKey extends z.ZodType<string>>(
  usd: Usd,
  sizeKey: SizeKey,
  object: StrictObject = (shape) => z.strictObject(shape),
) {
  return {
    input_per_mtok: usd.optional(),
    cached_input_per_mtok: usd.optional(),
    cache_write_5m_per_mtok: usd.optional(),
    cache_write_1h_per_mtok: usd.optional(),
    output_per_mtok: usd.optional(),
    image_output_per_mtok: usd.optional(),
    reasoning_per_mtok: usd.optional(),
    per_image: z.record(sizeKey, usd).optional(),
    per_call: usd.optional(),
    long_context: longContextShape(usd, object).optional(),
  };
}
