// POST /v1/images/edits (multipart) → one canonical request: the prompt, the
// uploaded images as reference images and, when sent, the mask as one more
// image with a sentence telling the model what it means (Gemini has no masks).
import type { ImageModelSpec } from '../../gemini/image-models.js';
import type { Part } from '../../canonical/types.js';
import { imagesRequest, type DecodedImagesRequest } from './canonical-request.js';
import { formParams, readOutputOptions, readRequiredText } from './output-options.js';
import { invalidParam, listValues, missingParam } from './param-errors.js';
import { imageOptionsForOpenAISize, sizeRulesFor } from './size-mapping.js';
import { sniffImageMime, type SniffedImageMime } from './sniff-image.js';

/** One file part of a multipart body. */
export interface UploadedFile {
  /** The form field name (`image`, `image[]`, `mask`). */
  field: string;
  filename?: string;
  /** As declared by the client: not trusted, the bytes decide. */
  mimeType: string;
  data: Buffer;
}

/** Appended to the prompt when a mask is sent; the mask travels as the last image. */
export const MASK_INSTRUCTION =
  'The last image is a mask, not a picture to use: change only the area where the mask is transparent, ' +
  'and keep everything else in the first image exactly as it is.';

const SUPPORTED: readonly SniffedImageMime[] = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/heic', 'image/heif'];

// `image`, repeated `image[]` (the openai SDKs), or indexed `image[0]` (some form builders).
const IMAGE_FIELD = /^image(\[\d*\])?$/;

function describeFile(file: UploadedFile, label: string): string {
  return file.filename ? `'${label}' (${file.filename})` : `'${label}'`;
}

function imagePart(file: UploadedFile, label: string, param: string): Part {
  const mimeType = sniffImageMime(file.data);
  if (!mimeType) {
    throw invalidParam(
      param,
      `Invalid file ${describeFile(file, label)}: the content is not a supported image (declared '${file.mimeType}'). ` +
        `Supported file formats are ${listValues(SUPPORTED)}.`,
      'invalid_image_format',
    );
  }
  return { type: 'image', mimeType, data: file.data.toString('base64') };
}

function maskPart(file: UploadedFile): Part {
  const part = imagePart(file, 'mask', 'mask');
  if (part.type === 'image' && part.mimeType !== 'image/png') {
    throw invalidParam('mask', `Invalid file ${describeFile(file, 'mask')}: the mask must be a PNG image (got '${part.mimeType}').`, 'invalid_image_format');
  }
  return part;
}

/**
 * Decodes an OpenAI images edit. `model` is the name to look up in the image
 * model table (the upstream model after mapping); the request keeps the form's
 * `model` field when there is one.
 */
export function decodeImageEdit(fields: Record<string, string>, files: UploadedFile[], model: string | ImageModelSpec): DecodedImagesRequest {
  const params = formParams(fields);
  const prompt = readRequiredText(params, 'prompt');
  const spec = sizeRulesFor(model);
  const images = files.filter((f) => IMAGE_FIELD.test(f.field));
  const masks = files.filter((f) => f.field === 'mask');
  if (images.length === 0) throw missingParam('image');
  if (images.length > spec.maxReferenceImages) {
    throw invalidParam(
      'image',
      `Invalid 'image': array too long. Expected an array with maximum length ${spec.maxReferenceImages} ` +
        `(the reference images ${spec.id} accepts), but got an array with length ${images.length} instead.`,
      'array_above_max_length',
    );
  }
  if (masks.length > 1) throw invalidParam('mask', `Invalid 'mask': expected one file, but got ${masks.length}.`);
  if (masks.length === 1 && images.length + 1 > spec.maxReferenceImages) {
    throw invalidParam(
      'mask',
      `Invalid 'mask': the mask travels as one more reference image, and ${spec.id} accepts at most ` +
        `${spec.maxReferenceImages}; send at most ${spec.maxReferenceImages - 1} images with a mask.`,
    );
  }

  const output = readOutputOptions(params);
  const image = imageOptionsForOpenAISize(spec, {
    size: params.get('size'),
    aspect_ratio: params.get('aspect_ratio'),
    image_size: params.get('image_size'),
  });

  const parts: Part[] = [{ type: 'text', text: masks.length === 1 ? `${prompt}\n\n${MASK_INSTRUCTION}` : prompt }];
  images.forEach((file, i) => parts.push(imagePart(file, images.length > 1 ? `image[${i}]` : 'image', 'image')));
  if (masks[0]) parts.push(maskPart(masks[0]));

  const formModel = params.get('model');
  const requestModel = typeof formModel === 'string' && formModel.trim() !== '' ? formModel : spec.id;
  return imagesRequest(requestModel, parts, image, output);
}
