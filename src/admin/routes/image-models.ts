// The Gemini image models ("Nano Banana") the caller may use, with what each
// accepts — read from the same table the relay validates against
// (dialects/gemini/image-models.ts), so the console's image playground never
// offers a ratio or size the gateway would refuse.
import type { FastifyInstance } from 'fastify';
import { IMAGE_MODELS, imageModelSpec, pixelSize, type ImageModelSpec } from '../../dialects/gemini/image-models.js';
import type { Channel } from '../../store/entities.js';
import { actorOf, type AdminContext } from '../context.js';
import { ok } from '../envelope.js';
import { DEFAULT_GROUP } from '../groups-in-use.js';

export interface ImageModelView {
  /** The name to request (as the user's channels list it). */
  model: string;
  /** The table model it runs as (after model_mapping); null when the table does not know it. */
  family: string | null;
  display_name: string;
  aspect_ratios: string[];
  /** `imageConfig.imageSize` values; empty = a fixed size class, send none. */
  image_sizes: string[];
  default_image_size: string;
  max_reference_images: number;
  /** Output pixels (width, height) per size class and aspect ratio. */
  pixels: Record<string, Record<string, [number, number]>>;
}

/** Names that look like a Gemini image model even when the table lacks them. */
const IMAGE_NAME = /gemini.*-image/i;

function union(pick: (s: ImageModelSpec) => readonly string[]): string[] {
  return [...new Set(IMAGE_MODELS.flatMap((s) => [...pick(s)]))];
}

function view(model: string, spec: ImageModelSpec | undefined): ImageModelView {
  if (!spec) {
    // Not validated by the gateway: offer everything any table model takes.
    return {
      model,
      family: null,
      display_name: model,
      aspect_ratios: union((s) => s.aspectRatios),
      image_sizes: union((s) => s.imageSizes),
      default_image_size: '1K',
      max_reference_images: Math.max(...IMAGE_MODELS.map((s) => s.maxReferenceImages)),
      pixels: {},
    };
  }
  const sizes = spec.imageSizes.length > 0 ? [...spec.imageSizes] : [spec.defaultImageSize];
  const pixels: ImageModelView['pixels'] = {};
  for (const size of sizes) {
    pixels[size] = {};
    for (const ratio of spec.aspectRatios) {
      const { width, height } = pixelSize(spec, ratio, size);
      pixels[size][ratio] = [width, height];
    }
  }
  return {
    model,
    family: spec.id,
    display_name: spec.displayName,
    aspect_ratios: [...spec.aspectRatios],
    image_sizes: [...spec.imageSizes],
    default_image_size: spec.defaultImageSize,
    max_reference_images: spec.maxReferenceImages,
    pixels,
  };
}

/** Image models some enabled channel serves to the group, each with its spec, sorted by name. */
export function imageModelsForGroup(channels: readonly Channel[], group: string): ImageModelView[] {
  const found = new Map<string, ImageModelSpec | undefined>();
  for (const ch of channels) {
    if (ch.status !== 'enabled') continue;
    const groups = ch.groups.length > 0 ? ch.groups : [DEFAULT_GROUP];
    if (!groups.includes(group)) continue;
    for (const name of [...ch.models, ...Object.keys(ch.modelMapping)]) {
      if (found.get(name)) continue;
      // The relay validates the model the upstream runs, so a mapped name takes its target's spec.
      const spec = imageModelSpec(ch.modelMapping[name] ?? name) ?? imageModelSpec(name);
      if (spec || IMAGE_NAME.test(name)) found.set(name, spec);
    }
  }
  return [...found.keys()].sort().map((name) => view(name, found.get(name)));
}

export function registerImageModelRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/api/user/image-models', async (req) => ok(imageModelsForGroup(ctx.cache.channels(), actorOf(req).group)));
}
