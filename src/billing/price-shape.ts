import * as z from 'zod';

/**
 * The fields of a ModelPrice as validators, for every place that accepts a
 * price from outside (the config file, the management API), so a new price
 * kind is added once. Each caller wraps it in its own strict object.
 */
export function modelPriceShape<Usd extends z.ZodType<number>, SizeKey extends z.ZodType<string>>(usd: Usd, sizeKey: SizeKey) {
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
  };
}
