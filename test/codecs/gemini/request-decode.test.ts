import { describe, expect, it } from 'vitest';
import type { Part } from '../../../src/dialects/canonical/types.js';
import { geminiCodec } from '../../../src/dialects/gemini/codec/index.js';
import { fixtureJson, forEachGarbageVariant, gatewayErrorOf, golden, onlyGatewayErrors } from './helpers.js';

const generate = { operation: 'generateContent', pathModel: 'models/gemini-2.5-flash' };
const decode = (json: unknown, opts = generate) => geminiCodec.decodeRequest(json as Record<string, unknown>, opts);
const userText = (text: string) => ({ contents: [{ role: 'user', parts: [{ text }] }] });

describe('Gemini request decode: golden fixtures', () => {
  for (const name of ['request-chat-tools', 'request-image-edit', 'request-structured']) {
    it(name, () => golden(`decode-${name}`, decode(fixtureJson(`${name}.json`))));
  }

  it('snake_case decodes exactly like camelCase', () => {
    expect(decode(fixtureJson('request-snake-case.json'))).toEqual(decode(fixtureJson('request-chat-tools.json')));
  });
});

describe('Gemini request decode: behaviour', () => {
  it('takes the model from the path without models/, and streams on streamGenerateContent', () => {
    const req = decode(userText('hi'), { operation: 'streamGenerateContent', pathModel: 'models/gemini-3-pro-preview' });
    expect(req.model).toBe('gemini-3-pro-preview');
    expect(req.stream).toBe(true);
    expect(decode(userText('hi')).stream).toBe(false);
  });

  it('links responses without ids to the earliest open call of that name, and keeps given ids', () => {
    const req = decode({
      contents: [
        { role: 'user', parts: [{ text: 'go' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'a', args: {} } },
            { functionCall: { name: 'b', args: {} } },
            { functionCall: { name: 'a', args: { n: 2 } } },
            { functionCall: { id: 'given-1', name: 'c' } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'a', response: { n: 1 } } },
            { functionResponse: { name: 'c', id: 'given-1', response: {} } },
            { functionResponse: { name: 'a', response: { n: 2 } } },
            { functionResponse: { name: 'b', response: { error: 'boom' } } },
          ],
        },
      ],
    });
    const calls = req.messages[1]!.parts.map((p) => (p.type === 'tool_call' ? p.id : ''));
    expect(calls).toEqual(['call_1_0', 'call_1_1', 'call_1_2', 'given-1']);
    const results = req.messages[2]!.parts as Extract<Part, { type: 'tool_result' }>[];
    expect(results.map((r) => r.toolCallId)).toEqual(['call_1_0', 'given-1', 'call_1_2', 'call_1_1']);
    expect(results[3]).toMatchObject({ name: 'b', isError: true, content: [{ type: 'text', text: 'boom' }] });
  });

  it('keeps function-response media as tool-result content', () => {
    const req = decode({
      contents: [
        { role: 'model', parts: [{ functionCall: { name: 'shot', args: {} } }] },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'shot', response: { output: 'done' }, parts: [{ inlineData: { mimeType: 'image/png', data: 'AAAA' } }] } }],
        },
      ],
    });
    expect(req.messages[1]!.parts[0]).toEqual({
      type: 'tool_result',
      toolCallId: 'call_0_0',
      name: 'shot',
      content: [
        { type: 'text', text: 'done' },
        { type: 'image', mimeType: 'image/png', data: 'AAAA' },
      ],
    });
  });

  it('maps media by MIME type and keeps the base64 string by reference', () => {
    const data = 'QUJD'.repeat(1000);
    const req = decode({
      contents: [
        {
          parts: [
            { inlineData: { mimeType: 'image/png', data } },
            { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
            { inline_data: { mime_type: 'application/pdf', data: 'JVBERi0=' } },
            { fileData: { fileUri: 'https://www.youtube.com/watch?v=x' } },
          ],
        },
      ],
    });
    const parts = req.messages[0]!.parts;
    expect(parts.map((p) => p.type)).toEqual(['image', 'audio', 'file', 'file']);
    expect(parts[0]!.type === 'image' && parts[0]!.data).toBe(data);
    expect(parts[3]).toEqual({ type: 'file', mimeType: '', url: 'https://www.youtube.com/watch?v=x' });
  });

  it('reads a systemInstruction given as a string', () => {
    expect(decode({ ...userText('x'), systemInstruction: 'Be brief.' }).system).toEqual([{ type: 'text', text: 'Be brief.' }]);
  });

  it('refuses Google-only tools with a message naming them', () => {
    for (const tool of ['googleSearch', 'codeExecution', 'urlContext', 'google_search']) {
      const err = gatewayErrorOf(() => decode({ ...userText('x'), tools: [{ [tool]: {} }] }));
      expect(err.kind).toBe('invalid_request');
      expect(err.message).toContain(tool);
      expect(err.message).toContain('only works on Gemini channels');
    }
  });

  it('maps function calling modes to tool choice', () => {
    const choice = (functionCallingConfig: unknown) =>
      decode({ ...userText('x'), tools: [{ functionDeclarations: [{ name: 'f' }, { name: 'g' }] }], toolConfig: { functionCallingConfig } }).toolChoice;
    expect(choice({ mode: 'AUTO' })).toBe('auto');
    expect(choice({ mode: 'VALIDATED' })).toBe('auto');
    expect(choice({ mode: 'NONE' })).toBe('none');
    expect(choice({ mode: 'ANY' })).toBe('required');
    expect(choice({ mode: 'ANY', allowedFunctionNames: ['g'] })).toEqual({ name: 'g' });
    expect(choice({ mode: 'any', allowed_function_names: ['f', 'g'] })).toBe('required');
    expect(gatewayErrorOf(() => choice({ mode: 'SOMETIMES' })).param).toBe('toolConfig.functionCallingConfig.mode');
  });

  it('maps thinking settings', () => {
    const reasoning = (thinkingConfig: unknown) => decode({ ...userText('x'), generationConfig: { thinkingConfig } }).reasoning;
    expect(reasoning({ thinkingBudget: 0 })).toEqual({ effort: 'none' });
    expect(reasoning({ thinkingBudget: -1 })).toEqual({ budgetTokens: -1 });
    expect(reasoning({ thinkingLevel: 'low', includeThoughts: true })).toEqual({ effort: 'low', includeThoughts: true });
    expect(reasoning({ thinking_level: 'MINIMAL' })).toEqual({ effort: 'minimal' });
    expect(reasoning({ includeThoughts: false })).toBeUndefined();
  });

  it('maps JSON output without a schema to json_object, and modalities to lowercase', () => {
    const req = decode({ ...userText('x'), generationConfig: { responseMimeType: 'application/json', responseModalities: ['TEXT', 'IMAGE'], candidateCount: 2 } });
    expect(req.responseFormat).toEqual({ type: 'json_object' });
    expect(req.modalities).toEqual(['text', 'image']);
    expect(req.n).toBe(2);
  });

  it('passes responseJsonSchema through untouched', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, $defs: {} };
    const req = decode({ ...userText('x'), generationConfig: { response_mime_type: 'application/json', response_json_schema: schema } });
    expect(req.responseFormat).toEqual({ type: 'json_schema', name: 'response', schema });
  });

  it('keeps a part holding only a signature as signed, empty thinking', () => {
    const req = decode({ contents: [{ role: 'model', parts: [{ text: 'a' }, { thought_signature: 'sig' }] }] });
    expect(req.messages[0]!.parts[1]).toEqual({ type: 'thinking', text: '', signature: 'sig' });
  });

  it('skips Google-only parts such as executableCode', () => {
    const req = decode({
      contents: [
        { role: 'user', parts: [{ text: 'compute' }] },
        { role: 'model', parts: [{ executableCode: { language: 'PYTHON', code: '1+1' } }, { text: '2' }] },
      ],
    });
    expect(req.messages[1]!.parts).toEqual([{ type: 'text', text: '2' }]);
  });
});

describe('Gemini request decode: refusals', () => {
  const cases: [string, unknown, string | undefined][] = [
    ['no contents', {}, 'contents'],
    ['contents not a list', { contents: { parts: [] } }, 'contents'],
    ['empty contents', { contents: [] }, 'contents'],
    ['a content that is a string', { contents: ['hello'] }, 'contents[0]'],
    ['parts missing', { contents: [{ role: 'user' }] }, 'contents[0].parts'],
    ['parts empty', { contents: [{ role: 'user', parts: [] }] }, 'contents[0].parts'],
    ['a part that is null', { contents: [{ parts: [null] }] }, 'contents[0].parts[0]'],
    ['a part with nothing known', { contents: [{ parts: [{ foo: 1 }] }] }, 'contents[0].parts[0]'],
    ['text that is a number', { contents: [{ parts: [{ text: 5 }] }] }, 'contents[0].parts[0].text'],
    ['a bad role', { contents: [{ role: 'system', parts: [{ text: 'x' }] }] }, 'contents[0].role'],
    ['inlineData without data', { contents: [{ parts: [{ inlineData: { mimeType: 'image/png' } }] }] }, 'contents[0].parts[0].inlineData.data'],
    ['inlineData without type', { contents: [{ parts: [{ inlineData: { data: 'AAAA' } }] }] }, 'contents[0].parts[0].inlineData.mimeType'],
    ['inlineData a string', { contents: [{ parts: [{ inlineData: 'AAAA' }] }] }, 'contents[0].parts[0].inlineData'],
    ['a call in a user turn', { contents: [{ parts: [{ functionCall: { name: 'f' } }] }] }, 'contents[0].parts[0].functionCall'],
    ['a call without name', { contents: [{ role: 'model', parts: [{ functionCall: { args: {} } }] }] }, 'contents[0].parts[0].functionCall.name'],
    ['args not an object', { contents: [{ role: 'model', parts: [{ functionCall: { name: 'f', args: '{}' } }] }] }, 'contents[0].parts[0].functionCall.args'],
    ['a response in a model turn', { contents: [{ role: 'model', parts: [{ functionResponse: { name: 'f', response: {} } }] }] }, 'contents[0].parts[0].functionResponse'],
    ['tools not a list', { ...userText('x'), tools: { functionDeclarations: [] } }, 'tools'],
    ['a declaration without name', { ...userText('x'), tools: [{ functionDeclarations: [{ description: 'x' }] }] }, 'tools[0].functionDeclarations[0].name'],
    ['generationConfig a list', { ...userText('x'), generationConfig: [] }, 'generationConfig'],
    ['temperature a string', { ...userText('x'), generationConfig: { temperature: 'hot' } }, 'generationConfig.temperature'],
    ['maxOutputTokens fractional', { ...userText('x'), generationConfig: { maxOutputTokens: 1.5 } }, 'generationConfig.maxOutputTokens'],
    ['stopSequences of numbers', { ...userText('x'), generationConfig: { stopSequences: [1] } }, 'generationConfig.stopSequences'],
    ['an unknown modality', { ...userText('x'), generationConfig: { responseModalities: ['VIDEO'] } }, 'generationConfig.responseModalities'],
    ['an unknown thinking level', { ...userText('x'), generationConfig: { thinkingConfig: { thinkingLevel: 'max' } } }, 'generationConfig.thinkingConfig.thinkingLevel'],
    ['systemInstruction a number', { ...userText('x'), systemInstruction: 4 }, 'systemInstruction'],
  ];
  for (const [name, body, param] of cases) {
    it(name, () => {
      const err = gatewayErrorOf(() => decode(body));
      expect(err.kind).toBe('invalid_request');
      expect(err.status).toBe(400);
      expect(err.param).toBe(param);
      expect(err.message.length).toBeGreaterThan(10);
    });
  }

  it('no model anywhere', () => {
    expect(gatewayErrorOf(() => decode(userText('x'), { operation: 'generateContent' } as typeof generate)).param).toBe('model');
  });

  it('never throws anything but GatewayError on fixtures with any value swapped for garbage', () => {
    for (const name of ['request-chat-tools.json', 'request-image-edit.json', 'request-structured.json']) {
      const variants = forEachGarbageVariant(fixtureJson(name), (variant) => onlyGatewayErrors(() => decode(variant), ['invalid_request']));
      expect(variants).toBeGreaterThan(100);
    }
  });
});
