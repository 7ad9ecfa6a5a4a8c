// The Gemini image models ("Nano Banana") as data: what each accepts, what it
// produces, what it costs. Used by the simulator to answer like Google and by
// the gateway to validate requests and price images. Add a model by adding an
// entry to IMAGE_MODELS; nothing else needs to change.

/** `imageConfig.imageSize` values. Uppercase `K`; the smallest is the string "512". */
export type GeminiImageSize = '512' | '1K' | '2K' | '4K';

export interface ImageModelPricing {
  /** USD per million input tokens (text and images). */
  inputPerMTok: number;
  /** USD per million text output tokens (thinking included). */
  outputTextPerMTok: number;
  /** USD per million image output tokens. */
  outputImagePerMTok: number;
  /** List price of one output image, by size class. */
  perImage: Partial<Record<GeminiImageSize, number>>;
}

export interface ImageModelSpec {
  /** Canonical model id, without the `models/` prefix. */
  id: string;
  displayName: string;
  /** Token limits from Google's model page (what `GET /v1beta/models` reports). */
  inputTokenLimit: number;
  outputTokenLimit: number;
  /** Other names that mean this model (older preview ids, GA ids). */
  aliases: readonly string[];
  aspectRatios: readonly string[];
  /**
   * Values accepted in `imageConfig.imageSize`. Empty for gemini-2.5-flash-image,
   * whose output is a fixed 1024 px class; it tolerates "1K" (the class it
   * renders anyway) and refuses any other size.
   */
  imageSizes: readonly GeminiImageSize[];
  /** Size class used when the request names none. */
  defaultImageSize: GeminiImageSize;
  /**
   * Reference images accepted in one request. Google says 2.5 works "best
   * with up to 3", but accepts more; 14 is the hard limit for all three.
   */
  maxReferenceImages: number;
  /** `none`: never thinks; `always`: thinks on every call; `optional`: per thinkingLevel. */
  thinking: 'none' | 'always' | 'optional';
  /** Prompt tokens charged per input image (approximate for 3.1). */
  inputImageTokens: number;
  /** Output tokens billed per generated image, by size class. */
  outputTokensPerImage: Partial<Record<GeminiImageSize, number>>;
  /** Pixel size (width, height) per aspect ratio at `pixelBaseSize`. */
  pixels: Readonly<Record<string, readonly [number, number]>>;
  /** The size class `pixels` is given for; others scale from it. */
  pixelBaseSize: GeminiImageSize;
  pricing: ImageModelPricing;
}

const RATIOS_10 = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;
const RATIOS_14 = ['1:1', '1:4', '1:8', '2:3', '3:2', '3:4', '4:1', '4:3', '4:5', '5:4', '8:1', '9:16', '16:9', '21:9'] as const;

const PIXELS_25: Record<string, readonly [number, number]> = {
  '1:1': [1024, 1024],
  '2:3': [832, 1248],
  '3:2': [1248, 832],
  '3:4': [864, 1184],
  '4:3': [1184, 864],
  '4:5': [896, 1152],
  '5:4': [1152, 896],
  '9:16': [768, 1344],
  '16:9': [1344, 768],
  '21:9': [1536, 672],
};

// Gemini 3 family at 1K; 2K doubles each side, 4K quadruples, 512 halves.
const PIXELS_3_1K: Record<string, readonly [number, number]> = {
  '1:1': [1024, 1024],
  '2:3': [848, 1264],
  '3:2': [1264, 848],
  '3:4': [896, 1200],
  '4:3': [1200, 896],
  '4:5': [928, 1152],
  '5:4': [1152, 928],
  '9:16': [768, 1376],
  '16:9': [1376, 768],
  '21:9': [1584, 672],
  '1:4': [512, 2048],
  '4:1': [2048, 512],
  '1:8': [384, 3072],
  '8:1': [3072, 384],
};

const SIZE_SCALE: Record<GeminiImageSize, number> = { '512': 0.5, '1K': 1, '2K': 2, '4K': 4 };

export const IMAGE_MODELS: readonly ImageModelSpec[] = [
  {
    id: 'gemini-2.5-flash-image',
    displayName: 'Nano Banana',
    inputTokenLimit: 32_768,
    outputTokenLimit: 32_768,
    aliases: ['gemini-2.5-flash-image-preview'],
    aspectRatios: RATIOS_10,
    imageSizes: [],
    defaultImageSize: '1K',
    maxReferenceImages: 14,
    thinking: 'none',
    inputImageTokens: 258,
    outputTokensPerImage: { '1K': 1290 },
    pixels: PIXELS_25,
    pixelBaseSize: '1K',
    pricing: { inputPerMTok: 0.3, outputTextPerMTok: 2.5, outputImagePerMTok: 30, perImage: { '1K': 0.039 } },
  },
  {
    id: 'gemini-3-pro-image-preview',
    displayName: 'Nano Banana Pro',
    inputTokenLimit: 65_536,
    outputTokenLimit: 32_768,
    aliases: ['gemini-3-pro-image'],
    aspectRatios: RATIOS_10,
    imageSizes: ['1K', '2K', '4K'],
    defaultImageSize: '1K',
    maxReferenceImages: 14,
    thinking: 'always',
    inputImageTokens: 560,
    outputTokensPerImage: { '1K': 1120, '2K': 1120, '4K': 2000 },
    pixels: PIXELS_3_1K,
    pixelBaseSize: '1K',
    pricing: { inputPerMTok: 2, outputTextPerMTok: 12, outputImagePerMTok: 120, perImage: { '1K': 0.134, '2K': 0.134, '4K': 0.24 } },
  },
  {
    id: 'gemini-3.1-flash-image-preview',
    displayName: 'Nano Banana 2',
    inputTokenLimit: 131_072,
    outputTokenLimit: 32_768,
    aliases: ['gemini-3.1-flash-image'],
    aspectRatios: RATIOS_14,
    imageSizes: ['512', '1K', '2K', '4K'],
    defaultImageSize: '1K',
    maxReferenceImages: 14,
    thinking: 'optional',
    inputImageTokens: 560,
    outputTokensPerImage: { '512': 747, '1K': 1120, '2K': 1680, '4K': 2520 },
    pixels: PIXELS_3_1K,
    pixelBaseSize: '1K',
    pricing: {
      inputPerMTok: 0.5,
      outputTextPerMTok: 3,
      outputImagePerMTok: 60,
      perImage: { '512': 0.045, '1K': 0.067, '2K': 0.101, '4K': 0.151 },
    },
  },
];

const byName = new Map<string, ImageModelSpec>();
for (const spec of IMAGE_MODELS) {
  byName.set(spec.id, spec);
  for (const alias of spec.aliases) byName.set(alias, spec);
}

// Version and channel suffixes Google appends to the same model:
// "-preview-09-2025", "-001", "-latest", "-exp".
const SUFFIXES = [/-preview-\d{2}-\d{4}$/, /-\d{2}-\d{4}$/, /-\d{3}$/, /-latest$/, /-exp$/];

/**
 * The spec for a model name, accepting a `models/` prefix, any case and the
 * known suffix variants; undefined for a model that is not an image model.
 */
export function imageModelSpec(model: string): ImageModelSpec | undefined {
  let name = model.trim().toLowerCase();
  if (name.startsWith('models/')) name = name.slice(7);
  const direct = byName.get(name);
  if (direct) return direct;
  for (const re of SUFFIXES) {
    const stripped = name.replace(re, '');
    if (stripped === name) continue;
    const hit = byName.get(stripped) ?? byName.get(`${stripped}-preview`);
    if (hit) return hit;
  }
  return byName.get(`${name}-preview`);
}

/** The size class a request renders at: its imageSize, or the model's default. */
export function resolveImageSize(spec: ImageModelSpec, imageSize?: string): GeminiImageSize {
  return spec.imageSizes.includes(imageSize as GeminiImageSize) ? (imageSize as GeminiImageSize) : spec.defaultImageSize;
}

/**
 * Pixel size of the output image. Unknown ratios fall back to 1:1 and unknown
 * sizes to the model default; validate first with validateImageConfig.
 */
export function pixelSize(spec: ImageModelSpec, aspectRatio?: string, imageSize?: string): { width: number; height: number } {
  const base = spec.pixels[aspectRatio ?? '1:1'] ?? spec.pixels['1:1'] ?? [1024, 1024];
  const scale = SIZE_SCALE[resolveImageSize(spec, imageSize)] / SIZE_SCALE[spec.pixelBaseSize];
  return { width: Math.round(base[0] * scale), height: Math.round(base[1] * scale) };
}

/** Output tokens billed for one image at this size. */
export function outputTokensPerImage(spec: ImageModelSpec, imageSize?: string): number {
  const size = resolveImageSize(spec, imageSize);
  return spec.outputTokensPerImage[size] ?? spec.outputTokensPerImage[spec.defaultImageSize] ?? 0;
}

/** List price (USD) of one image at this size. */
export function pricePerImage(spec: ImageModelSpec, imageSize?: string): number {
  const size = resolveImageSize(spec, imageSize);
  return spec.pricing.perImage[size] ?? spec.pricing.perImage[spec.defaultImageSize] ?? 0;
}

/** The supported aspect ratio closest to a width × height (compared on a log scale). */
export function nearestAspectRatio(spec: ImageModelSpec, width: number, height: number): string {
  if (!(width > 0 && height > 0)) return '1:1';
  const want = Math.log(width / height);
  let best = '1:1';
  let bestDistance = Infinity;
  for (const ratio of spec.aspectRatios) {
    const [w, h] = ratio.split(':').map(Number) as [number, number];
    const distance = Math.abs(Math.log(w / h) - want);
    if (distance < bestDistance) {
      best = ratio;
      bestDistance = distance;
    }
  }
  return best;
}

const FIELD = 'GenerateContentRequest.generation_config.image_config';

function oneOf(values: readonly string[]): string {
  const quoted = values.map((v) => `'${v}'`);
  if (quoted.length <= 1) return quoted.join('');
  if (quoted.length === 2) return `${quoted[0]} or ${quoted[1]}`;
  return `${quoted.slice(0, -1).join(', ')}, or ${quoted[quoted.length - 1]}`;
}

/**
 * Checks `imageConfig` against the model. Returns an error message worded like
 * Google's INVALID_ARGUMENT message, or undefined when the config is fine.
 * Values are case-sensitive: "1k" is refused, as Google does.
 */
export function validateImageConfig(
  spec: ImageModelSpec,
  config: { aspectRatio?: unknown; imageSize?: unknown },
): string | undefined {
  const { aspectRatio, imageSize } = config;
  if (aspectRatio !== undefined && aspectRatio !== null && aspectRatio !== '') {
    if (typeof aspectRatio !== 'string' || !spec.aspectRatios.includes(aspectRatio)) {
      return `* ${FIELD}.aspect_ratio: aspect_ratio must be one of ${oneOf(spec.aspectRatios)}.`;
    }
  }
  if (imageSize !== undefined && imageSize !== null && imageSize !== '') {
    if (spec.imageSizes.length === 0) {
      if (imageSize === spec.defaultImageSize) return undefined;
      return `* ${FIELD}.image_size: image_size is not supported by ${spec.id}; it renders a fixed 1024 px class.`;
    }
    if (typeof imageSize !== 'string' || !spec.imageSizes.includes(imageSize as GeminiImageSize)) {
      return `* ${FIELD}.image_size: image_size must be one of ${oneOf(spec.imageSizes)}.`;
    }
  }
  return undefined;
}
