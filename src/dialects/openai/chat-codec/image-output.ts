// Where a generated image goes in an OpenAI chat answer, by image output mode:
// `message.images` (OpenRouter's form), markdown in `content`, or both. Shared by
// the whole-answer and the stream encoders so both render the same way.
import type { ImageOutputMode } from '../../canonical/codec.js';
import type { MediaSource } from '../../canonical/types.js';
import { sourceUrl } from './data-url.js';

export interface ImagePlacement {
  /** URL for a `images[]` entry, when the mode lists images. */
  listUrl?: string;
  /** URL for `![image](…)` in content, when the mode writes markdown. */
  markdownUrl?: string;
}

export function placeImage(image: MediaSource, mode: ImageOutputMode = 'both'): ImagePlacement {
  // 'url': the relay stored the image and gave it a URL; an image with no data renders by URL in every mode.
  const url = sourceUrl(image, mode === 'url');
  if (url === undefined) return {};
  if (mode === 'images') return { listUrl: url };
  if (mode === 'markdown') return { markdownUrl: url };
  return { listUrl: url, markdownUrl: url };
}

/** One `images[]` entry of a whole answer or a request (streams add an `index`). */
export function imageEntry(url: string): Record<string, unknown> {
  return { type: 'image_url', image_url: { url } };
}
