// Images that relays inline into assistant text as `![alt](data:image/…;base64,…)`.
// Reading them back turns chat history into real image parts (multi-turn edits);
// writing them is one of the image output modes.
import type { InlineData } from './data-url.js';
import { mimeFromName, parseDataUrl } from './data-url.js';

export type TextOrImage = { type: 'text'; text: string } | ({ type: 'image' } & InlineData) | { type: 'image'; mimeType: string; url: string };

const dataMarker = '](data:';
const linkMarker = '](http';

/**
 * Where the gateway serves the images it stored for `url` output (the same path
 * as src/media/signed-url.ts IMAGE_PATH_PREFIX, which this pure module cannot
 * import). Its signed links in an assistant's markdown are that turn's images.
 */
export const GATEWAY_IMAGE_PATH = '/v1/files/images/';

export interface SplitOptions {
  /**
   * Also read `![…](http(s)://…/v1/files/images/<id>?…signature=…)` (this
   * gateway's `url` output) as an image by URL. History only: the relay reads
   * its own links from its store and fetches any other URL behind its SSRF guard.
   */
  gatewayLinks?: boolean;
}

/** An http(s) link shaped like the gateway's signed image links. */
function isGatewayImageLink(url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  const path = url.indexOf(GATEWAY_IMAGE_PATH);
  return path > 0 && url.indexOf('signature=', path) > 0;
}

/**
 * Splits text around markdown data-URL images (and, when asked, the gateway's
 * own image links), in order; the whitespace around an image goes with it.
 * Undefined when the text holds none (the common case, found with one or two
 * indexOf calls).
 */
export function splitMarkdownImages(text: string, opts: SplitOptions = {}): TextOrImage[] | undefined {
  const links = opts.gatewayLinks === true && text.includes(GATEWAY_IMAGE_PATH);
  const next = (from: number): number => {
    const data = text.indexOf(dataMarker, from);
    if (!links) return data;
    const link = text.indexOf(linkMarker, from);
    return data < 0 ? link : link < 0 ? data : Math.min(data, link);
  };
  let at = next(0);
  if (at < 0) return undefined;
  const out: TextOrImage[] = [];
  let cursor = 0;
  for (; at >= 0; at = next(at + 1)) {
    const open = text.lastIndexOf('![', at);
    if (open < cursor || at - open > 1024 || /[\]\n]/.test(text.slice(open + 2, at))) continue;
    const close = text.indexOf(')', at + 2);
    if (close < 0) break;
    let url = text.slice(at + 2, close);
    const space = url.indexOf(' ');
    if (space >= 0) url = url.slice(0, space); // ![x](data:… "title")
    if (url.startsWith('data:')) {
      const image = parseDataUrl(url);
      if (!image || !image.mimeType.startsWith('image/')) continue;
      pushText(out, text.slice(cursor, open).trimEnd());
      out.push({ type: 'image', mimeType: image.mimeType, data: image.data });
    } else {
      if (!isGatewayImageLink(url)) continue;
      pushText(out, text.slice(cursor, open).trimEnd());
      out.push({ type: 'image', mimeType: mimeFromName(url, 'image/png'), url });
    }
    cursor = close + 1;
    // Skip leading whitespace of what follows without copying the tail.
    while (cursor < text.length && /\s/.test(text[cursor] as string)) cursor++;
    at = cursor - 1;
  }
  if (out.length === 0) return undefined;
  pushText(out, text.slice(cursor));
  return out;
}

function pushText(out: TextOrImage[], text: string): void {
  if (text) out.push({ type: 'text', text });
}

export function markdownImage(url: string): string {
  return `![image](${url})`;
}

/**
 * Keeps a blank line between text and markdown images in one choice's content,
 * whether written at once (a whole answer) or delta by delta (a stream).
 */
export class MarkdownSpacing {
  private wroteContent = false;
  private afterImage = false;

  text(text: string): string {
    if (!text) return text;
    const out = this.afterImage ? `\n\n${text}` : text;
    this.afterImage = false;
    this.wroteContent = true;
    return out;
  }

  /** The separator to put before an image's markdown. */
  beforeImage(): string {
    const sep = this.wroteContent ? '\n\n' : '';
    this.wroteContent = true;
    this.afterImage = true;
    return sep;
  }
}
