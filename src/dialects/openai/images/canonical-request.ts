// The canonical request both image routes produce: one user turn, asking for
// text and image output, never streamed.
import type { CanonicalRequest, ImageOptions, Part } from '../../canonical/types.js';
import type { ImageOutputOptions } from './output-options.js';

/** A decoded /images request: the canonical call to make `n` times, and how to answer. */
export interface DecodedImagesRequest extends Omit<ImageOutputOptions, 'user'> {
  request: CanonicalRequest;
}

export function imagesRequest(model: string, parts: Part[], image: ImageOptions, output: ImageOutputOptions): DecodedImagesRequest {
  const request: CanonicalRequest = {
    model,
    system: [],
    messages: [{ role: 'user', parts }],
    modalities: ['text', 'image'],
    stream: false,
  };
  if (image.aspectRatio !== undefined || image.imageSize !== undefined) request.image = image;
  if (output.user !== undefined) request.user = output.user;
  const { user: _user, ...rest } = output;
  return { request, ...rest };
}
