// The image models the caller may use, with the ratios and sizes each accepts:
// GET /api/user/image-models (src/admin/routes/image-models.ts), which reads
// the very table the relay validates against (src/dialects/gemini/image-models.ts).

export interface ImageModel {
  model: string;
  /** The table model it runs as; null when the gateway does not know it (nothing is checked). */
  family: string | null;
  display_name: string;
  aspect_ratios: string[];
  /** Empty: a fixed size class — the request names none. */
  image_sizes: string[];
  default_image_size: string;
  max_reference_images: number;
  /** [width, height] per size class and ratio. */
  pixels: Record<string, Record<string, [number, number]>>;
}

export const IMAGE_MODELS_PATH = '/api/user/image-models';

/** The model to preselect: 2.5 Flash Image (the cheapest) when offered, else the first. */
export function defaultModel(models: readonly ImageModel[]): ImageModel | undefined {
  return models.find((m) => m.model === 'gemini-2.5-flash-image') ?? models[0];
}

/** The ratio to keep when the model changes: the same if offered, else 1:1 ('' = auto stays auto). */
export function keepRatio(model: ImageModel, ratio: string): string {
  return ratio === '' || model.aspect_ratios.includes(ratio) ? ratio : '1:1';
}

/** The size to keep when the model changes: the same if offered, else the model's default. */
export function keepSize(model: ImageModel, size: string): string {
  if (model.image_sizes.length === 0) return model.default_image_size;
  return model.image_sizes.includes(size) ? size : model.default_image_size;
}
