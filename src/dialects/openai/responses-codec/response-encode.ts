// Canonical → a whole Response for the client. Responses has no choices: the
// first choice is the answer. Consecutive text parts share one message item.
import type { EncodeResponseOptions } from '../../canonical/codec.js';
import type { CanonicalResponse } from '../../canonical/types.js';
import { newId, responseId } from './ids.js';
import { functionCallItem, imageItem, imageMarkdown, messageItem, outputText, reasoningItem, responseObject, type Item } from './output-items.js';
import { encodeFinish } from './status-map.js';

export function encodeResponsesResponse(res: CanonicalResponse, opts: EncodeResponseOptions): Record<string, unknown> {
  const choice = res.choices[0];
  const output: Item[] = [];
  let text: string | undefined;
  const flushText = () => {
    if (text !== undefined) output.push(messageItem(newId('msg'), 'completed', [outputText(text)]));
    text = undefined;
  };
  const addText = (t: string) => {
    text = text === undefined ? t : text + t;
  };

  for (const part of choice?.parts ?? []) {
    switch (part.type) {
      case 'text':
        addText(part.text);
        break;
      case 'thinking':
        flushText();
        output.push(reasoningItem(newId('rs'), part.text === '' ? undefined : part.text, part.signature));
        break;
      case 'tool_call':
        flushText();
        output.push(functionCallItem(newId('fc'), 'completed', part.id, part.name, part.arguments));
        break;
      case 'image':
        if (part.thought) break;
        if (part.data !== undefined) {
          flushText();
          output.push(imageItem(newId('ig'), 'completed', part.data));
        } else if (part.url !== undefined) {
          addText(imageMarkdown(part.url));
        }
        break;
      default:
        break;
    }
  }
  flushText();

  const { status, incompleteReason } = encodeFinish(choice?.finishReason);
  return responseObject({
    id: responseId(res.id),
    createdAt: res.created,
    model: opts.model,
    status,
    ...(incompleteReason && { incompleteReason }),
    output,
    usage: res.usage,
  });
}
