import { describe, expect, it } from 'vitest';
import type { CanonicalRequest, Message } from '../../../src/dialects/canonical/types.js';
import { geminiCodec, SKIP_SIGNATURE } from '../../../src/dialects/gemini/codec/index.js';
import { fixtureJson, gatewayErrorOf, golden } from './helpers.js';

const encode = (req: CanonicalRequest, model = 'gemini-2.5-flash') => geminiCodec.encodeRequest(req, { model, provider: 'gemini' });
const base = (over: Partial<CanonicalRequest> = {}): CanonicalRequest => ({
  model: 'm',
  system: [],
  messages: [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }],
  stream: false,
  ...over,
});
const config = (over: Partial<CanonicalRequest>, model?: string) => encode(base(over), model).body.generationConfig as Record<string, any> | undefined;

describe('Gemini request encode', () => {
  it('golden: a converted multi-turn chat with tools, media and thinking', () => {
    golden('encode-canonical-request-chat', encode(fixtureJson<CanonicalRequest>('canonical-request-chat.json')));
  });

  it('golden: decoding a Gemini request and encoding it again', () => {
    const req = geminiCodec.decodeRequest(fixtureJson('request-chat-tools.json'), { operation: 'streamGenerateContent', pathModel: 'gemini-2.5-flash' });
    golden('encode-roundtrip-request-chat-tools', encode(req));
  });

  it('streams with alt=sse and answers whole otherwise', () => {
    expect(encode(base({ stream: true }))).toMatchObject({ operation: 'streamGenerateContent', query: 'alt=sse' });
    expect(encode(base())).toMatchObject({ operation: 'generateContent', query: '' });
    expect(encode(base()).body).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
  });

  it('groups the tool results answering one model turn into one user turn, names looked up by id', () => {
    const messages: Message[] = [
      { role: 'user', parts: [{ type: 'text', text: 'go' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 't1', name: 'a', arguments: '{}' },
          { type: 'tool_call', id: 't2', name: 'b', arguments: '{"x":1}' },
        ],
      },
      { role: 'user', parts: [{ type: 'tool_result', toolCallId: 't1', content: [{ type: 'text', text: 'one' }] }] },
      { role: 'user', parts: [{ type: 'tool_result', toolCallId: 't2', content: [{ type: 'text', text: '[1,2]' }] }] },
      { role: 'user', parts: [{ type: 'text', text: 'next' }] },
    ];
    const contents = encode(base({ messages })).body.contents as any[];
    expect(contents.map((c) => c.role)).toEqual(['user', 'model', 'user', 'user']);
    expect(contents[2].parts).toEqual([
      { functionResponse: { name: 'a', response: { result: 'one' } } },
      { functionResponse: { name: 'b', response: { result: '[1,2]' } } },
    ]);
    expect(contents[1].parts[1]).toEqual({ functionCall: { name: 'b', args: { x: 1 } }, thoughtSignature: SKIP_SIGNATURE });
  });

  it('refuses a tool result whose function name cannot be found', () => {
    const err = gatewayErrorOf(() => encode(base({ messages: [{ role: 'user', parts: [{ type: 'tool_result', toolCallId: 'nope', content: [] }] }] })));
    expect(err.kind).toBe('invalid_request');
    expect(err.message).toContain('nope');
  });

  it('moves a thinking signature onto the next model part, and signs unsigned calls and images', () => {
    const contents = encode(
      base({
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'x' }] },
          {
            role: 'assistant',
            parts: [
              { type: 'thinking', text: 'hmm', signature: 'real-sig' },
              { type: 'tool_call', id: 'c', name: 'f', arguments: '{}' },
              { type: 'image', mimeType: 'image/png', data: 'AAAA' },
              { type: 'image', mimeType: 'image/png', data: 'BBBB', signature: 'img-sig' },
              { type: 'image', mimeType: 'image/png', data: 'CCCC', thought: true },
              { type: 'text', text: 'done' },
            ],
          },
        ],
      }),
    ).body.contents as any[];
    expect(contents[1].parts).toEqual([
      { functionCall: { name: 'f', args: {} }, thoughtSignature: 'real-sig' },
      { inlineData: { mimeType: 'image/png', data: 'AAAA' }, thoughtSignature: SKIP_SIGNATURE },
      { inlineData: { mimeType: 'image/png', data: 'BBBB' }, thoughtSignature: 'img-sig' },
      { inlineData: { mimeType: 'image/png', data: 'CCCC' }, thought: true, thoughtSignature: SKIP_SIGNATURE },
      { text: 'done' },
    ]);
  });

  it('drops a model turn left empty (only unsigned thinking)', () => {
    const contents = encode(
      base({
        messages: [
          { role: 'user', parts: [{ type: 'text', text: 'x' }] },
          { role: 'assistant', parts: [{ type: 'thinking', text: 'private' }] },
          { role: 'user', parts: [{ type: 'text', text: 'y' }] },
        ],
      }),
    ).body.contents as any[];
    expect(contents.map((c) => c.role)).toEqual(['user', 'user']);
  });

  it('leaves out empty text (Gemini refuses it) and refuses a conversation left with nothing', () => {
    const contents = encode(
      base({
        messages: [
          { role: 'user', parts: [{ type: 'text', text: '' }, { type: 'text', text: 'q' }] },
          { role: 'assistant', parts: [{ type: 'text', text: '' }, { type: 'tool_call', id: 'c', name: 'f', arguments: '' }] },
        ],
      }),
    ).body.contents as any[];
    expect(contents[0].parts).toEqual([{ text: 'q' }]);
    expect(contents[1].parts).toEqual([{ functionCall: { name: 'f', args: {} }, thoughtSignature: SKIP_SIGNATURE }]);
    const err = gatewayErrorOf(() => encode(base({ messages: [{ role: 'user', parts: [{ type: 'text', text: '' }] }] })));
    expect(err).toMatchObject({ kind: 'invalid_request', param: 'messages' });
  });

  it('maps tool choice', () => {
    const tools = [{ name: 'f' }];
    const toolConfig = (toolChoice: CanonicalRequest['toolChoice']) => encode(base({ tools, toolChoice })).body.toolConfig;
    expect(toolConfig('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(toolConfig({ name: 'f' })).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } });
    expect(toolConfig('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(toolConfig('auto')).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(encode(base({ toolChoice: 'none' })).body.toolConfig).toBeUndefined();
  });

  it('asks for TEXT and IMAGE when images are wanted, with the image options', () => {
    expect(config({ modalities: ['image'], image: { aspectRatio: '3:4', imageSize: '2K' } }, 'gemini-3-pro-image-preview')).toEqual({
      responseModalities: ['TEXT', 'IMAGE'],
      imageConfig: { aspectRatio: '3:4', imageSize: '2K' },
    });
    expect(config({ modalities: ['text'] })).toEqual({ responseModalities: ['TEXT'] });
  });

  it('maps response formats', () => {
    expect(config({ responseFormat: { type: 'json_object' } })).toEqual({ responseMimeType: 'application/json' });
    expect(config({ responseFormat: { type: 'text' } })).toBeUndefined();
  });

  it('maps reasoning per model family', () => {
    const thinking = (reasoning: CanonicalRequest['reasoning'], model: string) => config({ reasoning }, model)?.thinkingConfig;
    expect(thinking({ effort: 'low' }, 'gemini-2.5-flash')).toEqual({ thinkingBudget: 1024 });
    expect(thinking({ effort: 'medium' }, 'gemini-2.5-flash')).toEqual({ thinkingBudget: 8192 });
    expect(thinking({ effort: 'high' }, 'gemini-2.5-flash')).toEqual({ thinkingBudget: 24576 });
    expect(thinking({ effort: 'none' }, 'gemini-2.5-flash')).toEqual({ thinkingBudget: 0 });
    expect(thinking({ effort: 'minimal' }, 'gemini-2.5-flash-lite')).toEqual({ thinkingBudget: 0 });
    expect(thinking({ effort: 'minimal' }, 'gemini-2.5-pro')).toEqual({ thinkingBudget: 512 });
    expect(thinking({ effort: 'none' }, 'models/gemini-2.5-pro')).toEqual({ thinkingBudget: 128 });
    expect(thinking({ effort: 'minimal' }, 'gemini-3-pro-preview')).toEqual({ thinkingLevel: 'low' });
    expect(thinking({ effort: 'medium', includeThoughts: true }, 'gemini-3-flash-preview')).toEqual({ thinkingLevel: 'high', includeThoughts: true });
    expect(thinking({ effort: 'low' }, 'gemini-3.1-flash-image-preview')).toEqual({ thinkingLevel: 'minimal' });
    expect(thinking({ effort: 'high' }, 'gemini-3.1-flash-image-preview')).toEqual({ thinkingLevel: 'high' });
    expect(thinking({ budgetTokens: 3000, effort: 'high' }, 'gemini-2.5-flash')).toEqual({ thinkingBudget: 3000 });
    expect(thinking({ budgetTokens: -1 }, 'gemini-3-pro-preview')).toEqual({ thinkingBudget: -1 });
  });

  it('sends no derived thinking settings to models that never think', () => {
    const thinking = (reasoning: CanonicalRequest['reasoning'], model: string) => config({ reasoning }, model)?.thinkingConfig;
    expect(thinking({ effort: 'high', includeThoughts: true }, 'gemini-2.5-flash-image')).toBeUndefined();
    expect(thinking({ effort: 'low' }, 'gemini-2.5-flash-image-preview')).toBeUndefined();
    expect(thinking({ effort: 'low' }, 'gemini-2.0-flash')).toBeUndefined();
    // A budget the client chose itself is its own call.
    expect(thinking({ budgetTokens: 0 }, 'gemini-2.5-flash-image')).toEqual({ thinkingBudget: 0 });
  });

  it('refuses a media part with neither data nor url', () => {
    const err = gatewayErrorOf(() => encode(base({ messages: [{ role: 'user', parts: [{ type: 'image', mimeType: 'image/png' }] }] })));
    expect(err.kind).toBe('invalid_request');
  });
});
