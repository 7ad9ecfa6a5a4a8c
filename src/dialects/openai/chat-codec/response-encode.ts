// Canonical response → the `chat.completion` object a client's SDK expects.
import type { EncodeResponseOptions } from '../../canonical/codec.js';
import { emptyCanonicalUsage, type CanonicalResponse, type Choice } from '../../canonical/types.js';
import { encodeChatUsage } from './chat-usage.js';
import { encodeFinishReason } from './finish-reason.js';
import { completionId } from './ids.js';
import { imageEntry, placeImage } from './image-output.js';
import { MarkdownSpacing, markdownImage } from './markdown-images.js';
import type { Json } from './wire-guards.js';
import { signatureExtra } from './thought-signature.js';

export function encodeChatResponse(res: CanonicalResponse, opts: EncodeResponseOptions): Json {
  return {
    id: completionId(res.id),
    object: 'chat.completion',
    created: res.created,
    model: opts.model,
    choices: res.choices.map((c) => encodeChoice(c, opts)),
    usage: encodeChatUsage(res.usage ?? emptyCanonicalUsage()),
  };
}

function encodeChoice(choice: Choice, opts: EncodeResponseOptions): Json {
  const spacing = new MarkdownSpacing();
  const content: string[] = [];
  let reasoning = '';
  const toolCalls: Json[] = [];
  const images: Json[] = [];
  for (const part of choice.parts) {
    switch (part.type) {
      case 'text':
        content.push(spacing.text(part.text));
        break;
      case 'thinking':
        reasoning += part.text;
        break;
      case 'tool_call':
        toolCalls.push({ id: part.id, type: 'function', function: { name: part.name, arguments: part.arguments }, ...signatureExtra(part.signature) });
        break;
      case 'image': {
        // Thought images are drafts shown while thinking: never part of the answer.
        if (part.thought) break;
        const { listUrl, markdownUrl } = placeImage(part, opts.imageOutput);
        if (listUrl !== undefined) images.push(imageEntry(listUrl));
        if (markdownUrl !== undefined) content.push(spacing.beforeImage() + markdownImage(markdownUrl));
        break;
      }
      default:
        break;
    }
  }
  const text = content.join('');
  const message: Json = { role: 'assistant', content: text || (toolCalls.length > 0 ? null : '') };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (images.length > 0) message.images = images;
  message.refusal = null;
  message.annotations = [];
  return {
    index: choice.index,
    message,
    logprobs: null,
    finish_reason: encodeFinishReason(choice.finishReason, toolCalls.length > 0),
  };
}
