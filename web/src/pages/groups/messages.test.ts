import { describe, expect, it } from 'vitest';
import { expectTranslated } from '../tokens/messages-check';
import { messages } from './messages';

describe('groups messages', () => {
  it('zh has the same keys and placeholders as en, and is translated', () => {
    expectTranslated(messages);
    expect(messages.zh.title).not.toBe(messages.en.title);
  });
});
