// The chat codec reads the gateway's own `url`-mode image links back out of an
// assistant's markdown (history only), and nothing else that merely looks alike.
import { describe, expect, it } from 'vitest';
import { GATEWAY_IMAGE_PATH, splitMarkdownImages } from '../../src/dialects/openai/chat-codec/markdown-images.js';
import { decodeMessages } from '../../src/dialects/openai/chat-codec/message-decode.js';
import { IMAGE_PATH_PREFIX } from '../../src/media/signed-url.js';

const link = `https://gw.example.com${GATEWAY_IMAGE_PATH}0123456789abcdef0123456789abcdef.webp?expires=1999999999&signature=${'a'.repeat(64)}`;

describe('gateway image links in markdown', () => {
  it('the codec’s path is the one the media layer serves', () => {
    expect(GATEWAY_IMAGE_PATH).toBe(IMAGE_PATH_PREFIX);
  });

  it('read only when asked: an image by URL, its type from the extension, the text around kept', () => {
    const text = `Here it is.\n\n![image](${link})\n\nAnything else?`;
    expect(splitMarkdownImages(text)).toBeUndefined();
    expect(splitMarkdownImages(text, { gatewayLinks: true })).toEqual([
      { type: 'text', text: 'Here it is.' },
      { type: 'image', mimeType: 'image/webp', url: link },
      { type: 'text', text: 'Anything else?' },
    ]);
  });

  it('other http images, and unsigned links on the path, stay text', () => {
    for (const text of ['![cat](https://example.com/cat.png)', `![x](https://gw.example.com${GATEWAY_IMAGE_PATH}abc.png)`, `see [this](${link})`]) {
      expect(splitMarkdownImages(text, { gatewayLinks: true }), text).toBeUndefined();
    }
  });

  it('data URLs and links mixed, in order', () => {
    const text = `![a](data:image/png;base64,AAAA) and ![b](${link})`;
    expect(splitMarkdownImages(text, { gatewayLinks: true })).toEqual([
      { type: 'image', mimeType: 'image/png', data: 'AAAA' },
      { type: 'text', text: 'and' },
      { type: 'image', mimeType: 'image/webp', url: link },
    ]);
  });

  it('an assistant turn listing the link and writing it in content becomes one image', () => {
    const { messages } = decodeMessages([
      { role: 'user', content: 'a kite' },
      { role: 'assistant', content: `Done.\n\n![image](${link})`, images: [{ type: 'image_url', image_url: { url: link } }] },
    ]);
    expect(messages[1]!.parts).toEqual([
      { type: 'text', text: 'Done.' },
      { type: 'image', mimeType: 'image/webp', url: link },
    ]);
  });
});
