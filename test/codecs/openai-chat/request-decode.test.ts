import { describe, expect, it } from 'vitest';
import type { CanonicalRequest, Part } from '../../../src/dialects/canonical/types.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { openaiChatCodec } from '../../../src/dialects/openai/chat-codec/index.js';
import { fixtureJson, PNG_BASE64 } from './fixtures.js';

const decode = (json: Record<string, unknown>): CanonicalRequest => openaiChatCodec.decodeRequest(json, { operation: '/chat/completions' });
const base = (extra: Record<string, unknown> = {}) => ({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra });
const firstParts = (req: CanonicalRequest): Part[] => req.messages[0]?.parts ?? [];

describe('openai chat decodeRequest: golden fixtures', () => {
  for (const name of ['basic', 'tools', 'multimodal', 'image-edit', 'options']) {
    it(`request-${name}.json decodes to its golden canonical request`, () => {
      expect(decode(fixtureJson(`request-${name}.json`))).toEqual(fixtureJson(`expected/request-decoded-${name}.json`));
    });
  }

  it('legacy functions: function_call and role function share one invented id', () => {
    const req = decode(fixtureJson('request-legacy-functions.json'));
    const call = req.messages[1]?.parts[0];
    const result = req.messages[2]?.parts[0];
    expect(call).toMatchObject({ type: 'tool_call', name: 'get_time', arguments: '{"tz":"Europe/Oslo"}' });
    expect(result).toMatchObject({ type: 'tool_result', name: 'get_time', content: [{ type: 'text', text: '14:05' }] });
    expect(call?.type === 'tool_call' && result?.type === 'tool_result' && call.id === result.toolCallId).toBe(true);
    expect(req.tools).toEqual([{ name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } }]);
    expect(req.toolChoice).toBe('auto');
  });
});

describe('openai chat decodeRequest: mappings', () => {
  it('system and developer messages become system parts, wherever they stand; empty ones vanish', () => {
    const req = decode({
      model: 'm',
      messages: [
        { role: 'system', content: 'A' },
        { role: 'user', content: 'hi' },
        { role: 'developer', content: [{ type: 'text', text: 'B' }] },
        { role: 'system', content: '' },
      ],
    });
    expect(req.system).toEqual([{ type: 'text', text: 'A' }, { type: 'text', text: 'B' }]);
    expect(req.messages).toHaveLength(1);
  });

  it('image_url: data URL → inline, http URL → url with a MIME type from the extension or image/*', () => {
    const req = decode(
      base({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${PNG_BASE64}` } },
              { type: 'image_url', image_url: { url: 'https://x.test/a/b.webp#frag' } },
              { type: 'image_url', image_url: { url: 'http://x.test/photo.v2/raw' } },
              { type: 'image_url', image_url: 'https://x.test/bare-string.png' },
              { type: 'image_url', image_url: { url: 'data:image/svg+xml,%3Csvg%2F%3E' } },
            ],
          },
        ],
      }),
    );
    expect(firstParts(req)).toEqual([
      { type: 'image', mimeType: 'image/jpeg', data: PNG_BASE64 },
      { type: 'image', url: 'https://x.test/a/b.webp#frag', mimeType: 'image/webp' },
      { type: 'image', url: 'http://x.test/photo.v2/raw', mimeType: 'image/*' },
      { type: 'image', url: 'https://x.test/bare-string.png', mimeType: 'image/png' },
      { type: 'image', mimeType: 'image/svg+xml', data: Buffer.from('<svg/>').toString('base64') },
    ]);
  });

  it('input_audio and file parts; a file without a data: prefix takes its MIME type from the file name', () => {
    const req = decode(
      base({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'input_audio', input_audio: { data: 'AAAA', format: 'mp3' } },
              { type: 'file', file: { filename: 'notes.txt', file_data: 'aGVsbG8=' } },
              { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE' } },
            ],
          },
        ],
      }),
    );
    expect(firstParts(req)).toEqual([
      { type: 'audio', mimeType: 'audio/mpeg', data: 'AAAA' },
      { type: 'file', filename: 'notes.txt', mimeType: 'text/plain', data: 'aGVsbG8=' },
      { type: 'file', mimeType: 'application/pdf', data: 'JVBE' },
    ]);
  });

  it('assistant: reasoning (OpenRouter) becomes the first part; refusal parts read as text; tool calls follow', () => {
    const req = decode(
      base({
        messages: [
          { role: 'user', content: 'q' },
          {
            role: 'assistant',
            reasoning: 'hmm',
            content: [{ type: 'text', text: 'a' }, { type: 'refusal', refusal: 'no' }],
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: { x: 1 } } }],
          },
        ],
      }),
    );
    expect(req.messages[1]?.parts).toEqual([
      { type: 'thinking', text: 'hmm' },
      { type: 'text', text: 'a' },
      { type: 'text', text: 'no' },
      { type: 'tool_call', id: 'c1', name: 'f', arguments: '{"x":1}' },
    ]);
  });

  it('assistant markdown data-URL images are lifted out of the text, images[] duplicates are dropped', () => {
    const url = `data:image/png;base64,${PNG_BASE64}`;
    const req = decode(
      base({
        messages: [
          { role: 'user', content: 'draw' },
          { role: 'assistant', content: `![image](${url})`, images: [{ type: 'image_url', image_url: { url } }] },
          { role: 'assistant', content: `see ![a](${url} "title") and ![broken](data:image/png) ![x](https://x.test/p.png)` },
        ],
      }),
    );
    expect(req.messages[1]?.parts).toEqual([{ type: 'image', mimeType: 'image/png', data: PNG_BASE64 }]);
    expect(req.messages[2]?.parts).toEqual([
      { type: 'text', text: 'see' },
      { type: 'image', mimeType: 'image/png', data: PNG_BASE64 },
      { type: 'text', text: 'and ![broken](data:image/png) ![x](https://x.test/p.png)' },
    ]);
  });

  it('consecutive tool messages share one user turn and learn the function name from the call', () => {
    const req = decode({
      model: 'm',
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'a', type: 'function', function: { name: 'fa', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'a', content: 'ra' },
        { role: 'tool', tool_call_id: 'zz', content: [{ type: 'text', text: 'r' }, { type: 'text', text: 'z' }] },
        { role: 'user', content: 'next' },
        { role: 'tool', tool_call_id: 'late', content: '' },
      ],
    });
    expect(req.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'user', 'user']);
    expect(req.messages[2]?.parts).toEqual([
      { type: 'tool_result', toolCallId: 'a', name: 'fa', content: [{ type: 'text', text: 'ra' }] },
      { type: 'tool_result', toolCallId: 'zz', content: [{ type: 'text', text: 'r' }, { type: 'text', text: 'z' }] },
    ]);
    expect(req.messages[4]?.parts).toEqual([{ type: 'tool_result', toolCallId: 'late', content: [{ type: 'text', text: '' }] }]);
  });

  it('tool_choice forms', () => {
    const tools = [{ type: 'function', function: { name: 'f' } }];
    expect(decode(base({ tools, tool_choice: 'auto' })).toolChoice).toBe('auto');
    expect(decode(base({ tools, tool_choice: 'none' })).toolChoice).toBe('none');
    expect(decode(base({ tools, tool_choice: 'required' })).toolChoice).toBe('required');
    expect(decode(base({ tools, tool_choice: { type: 'function', function: { name: 'f' } } })).toolChoice).toEqual({ name: 'f' });
    // Without tools, 'auto' and 'none' change nothing; an empty tools array counts as none.
    expect(decode(base({ tools: [], tool_choice: 'auto' }))).not.toHaveProperty('toolChoice');
    expect(decode(base({ tools: [] }))).not.toHaveProperty('tools');
  });

  it('max_completion_tokens wins over max_tokens; max_tokens alone is read; nulls are ignored', () => {
    expect(decode(base({ max_completion_tokens: 10, max_tokens: 99 })).maxOutputTokens).toBe(10);
    expect(decode(base({ max_completion_tokens: null, max_tokens: 99 })).maxOutputTokens).toBe(99);
    const req = decode(base({ temperature: null, top_p: null, stop: null, n: null, seed: null, user: null, response_format: null, tools: null }));
    expect(Object.keys(req).sort()).toEqual(['messages', 'model', 'stream', 'system']);
  });

  it('stop as string or array; n, seed, penalties, top_k', () => {
    expect(decode(base({ stop: 'x' })).stop).toEqual(['x']);
    expect(decode(base({ stop: ['a', 'b'] })).stop).toEqual(['a', 'b']);
    expect(decode(base({ n: 3, seed: -5, presence_penalty: 2, frequency_penalty: -2, top_k: 40 }))).toMatchObject({
      n: 3,
      seed: -5,
      presencePenalty: 2,
      frequencyPenalty: -2,
      topK: 40,
    });
  });

  it('response_format text / json_object / json_schema', () => {
    expect(decode(base({ response_format: { type: 'text' } })).responseFormat).toEqual({ type: 'text' });
    expect(decode(base({ response_format: { type: 'json_object' } })).responseFormat).toEqual({ type: 'json_object' });
    expect(decode(base({ response_format: { type: 'json_schema', json_schema: { name: 'n', schema: { type: 'object' } } } })).responseFormat).toEqual({
      type: 'json_schema',
      name: 'n',
      schema: { type: 'object' },
    });
  });

  it('reasoning_effort passes through (xhigh → high); OpenRouter reasoning {effort, max_tokens, exclude}', () => {
    // Asking for reasoning means seeing it (reasoning_content), unless excluded.
    expect(decode(base({ reasoning_effort: 'minimal' })).reasoning).toEqual({ effort: 'minimal', includeThoughts: true });
    expect(decode(base({ reasoning_effort: 'xhigh' })).reasoning).toEqual({ effort: 'high', includeThoughts: true });
    expect(decode(base({ reasoning_effort: 'none' })).reasoning).toEqual({ effort: 'none' });
    expect(decode(base({ reasoning: { max_tokens: 2048, exclude: true } })).reasoning).toEqual({ budgetTokens: 2048, includeThoughts: false });
    expect(decode(base({ reasoning_effort: 'low', reasoning: { effort: 'high' } })).reasoning).toEqual({ effort: 'low', includeThoughts: true });
  });

  it('image options from image_config, extra_body.google.image_config or google.image_config', () => {
    const cfg = { aspect_ratio: '9:16', image_size: '4K' };
    const want = { aspectRatio: '9:16', imageSize: '4K' };
    expect(decode(base({ image_config: cfg })).image).toEqual(want);
    expect(decode(base({ extra_body: { google: { image_config: cfg } } })).image).toEqual(want);
    expect(decode(base({ google: { image_config: cfg } })).image).toEqual(want);
    expect(decode(base({ image_config: { aspectRatio: '1:1' } })).image).toEqual({ aspectRatio: '1:1' });
    expect(decode(base({ modalities: ['text', 'image'] })).modalities).toEqual(['text', 'image']);
  });

  it('stream and user', () => {
    expect(decode(base({ stream: true, user: 'u1' }))).toMatchObject({ stream: true, user: 'u1' });
    expect(decode(base()).stream).toBe(false);
  });
});

describe('openai chat decodeRequest: validation in OpenAI words', () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['no model', { messages: [{ role: 'user', content: 'x' }] }, 'model', /must provide a model/],
    ['messages missing', { model: 'm' }, 'messages', /Missing required parameter: 'messages'/],
    ['messages not an array', { model: 'm', messages: 'hi' }, 'messages', /expected an array of objects, but got a string instead/],
    ['messages empty', { model: 'm', messages: [] }, 'messages', /empty array/],
    ['message not an object', { model: 'm', messages: [42] }, 'messages[0]', /expected an object, but got an integer/],
    ['role missing', { model: 'm', messages: [{ content: 'x' }] }, 'messages[0].role', /Missing required parameter/],
    ['role unknown', { model: 'm', messages: [{ role: 'bot', content: 'x' }] }, 'messages[0].role', /Invalid value: 'bot'. Supported values are: 'system', .* and 'developer'/],
    ['content wrong type', { model: 'm', messages: [{ role: 'user', content: 5 }] }, 'messages[0].content', /one of a string or array of objects, but got an integer/],
    ['user content missing', { model: 'm', messages: [{ role: 'user' }] }, 'messages[0].content', /Missing required parameter/],
    ['part type unknown', base({ messages: [{ role: 'user', content: [{ type: 'video' }] }] }), 'messages[0].content[0].type', /Invalid value: 'video'/],
    ['text part without text', base({ messages: [{ role: 'user', content: [{ type: 'text' }] }] }), 'messages[0].content[0].text', /Missing required parameter: 'messages\[0\].content\[0\].text'/],
    ['broken data URL', base({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64' } }] }] }), 'messages[0].content[0].image_url.url', /Invalid 'image_url'/],
    ['file_id', base({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] }), 'messages[0].content[0].file.file_data', /file_id/],
    ['assistant with nothing', base({ messages: [{ role: 'assistant' }] }), 'messages[0].content', /Missing required parameter/],
    ['tool without tool_call_id', base({ messages: [{ role: 'tool', content: 'x' }] }), 'messages[0].tool_call_id', /Missing required parameter/],
    ['tool call without function', base({ messages: [{ role: 'assistant', tool_calls: [{ id: 'a', type: 'function' }] }] }), 'messages[0].tool_calls[0].function', /Missing/],
    ['tools not an array', base({ tools: {} }), 'tools', /expected an array of objects, but got an object/],
    ['tool without name', base({ tools: [{ type: 'function', function: {} }] }), 'tools[0].function.name', /Missing/],
    ['tool of another type', base({ tools: [{ type: 'web_search' }] }), 'tools[0].type', /Invalid value: 'web_search'/],
    ['tool_choice names an unknown tool', base({ tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: { type: 'function', function: { name: 'g' } } }), 'tool_choice', /'g'/],
    ['tool_choice required without tools', base({ tool_choice: 'required' }), 'tool_choice', /only allowed when 'tools' are specified/],
    ['tool_choice bad string', base({ tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'always' }), 'tool_choice', /Invalid value: 'always'/],
    ['n zero', base({ n: 0 }), 'n', /below minimum value/],
    ['n too big', base({ n: 129 }), 'n', /above maximum value/],
    ['n decimal', base({ n: 1.5 }), 'n', /expected an integer, but got a decimal/],
    ['max_tokens zero', base({ max_tokens: 0 }), 'max_tokens', /Expected a value >= 1, but got 0/],
    ['max_completion_tokens string', base({ max_completion_tokens: '5' }), 'max_completion_tokens', /expected an integer, but got a string/],
    ['temperature too high', base({ temperature: 3 }), 'temperature', /Expected a value <= 2/],
    ['top_p string', base({ top_p: 'x' }), 'top_p', /expected a number/],
    ['stop of numbers', base({ stop: [1] }), 'stop[0]', /expected a string, but got an integer/],
    ['response_format type', base({ response_format: { type: 'xml' } }), 'response_format.type', /Invalid value: 'xml'/],
    ['json_schema missing', base({ response_format: { type: 'json_schema' } }), 'response_format.json_schema', /Missing/],
    ['reasoning_effort unknown', base({ reasoning_effort: 'max' }), 'reasoning_effort', /Invalid value: 'max'/],
    ['modalities unknown', base({ modalities: ['video'] }), 'modalities[0]', /Invalid value: 'video'/],
    ['image_config wrong type', base({ image_config: 'wide' }), 'image_config', /expected an object/],
    ['stream not boolean', base({ stream: 'yes' }), 'stream', /expected a boolean/],
  ];
  for (const [name, body, param, message] of cases) {
    it(name, () => {
      let caught: unknown;
      try {
        decode(body);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(GatewayError);
      const err = caught as GatewayError;
      expect(err.kind).toBe('invalid_request');
      expect(err.status).toBe(400);
      expect(err.param).toBe(param);
      expect(err.message).toMatch(message);
    });
  }

  it('quotes a huge bad value only in part', () => {
    const huge = 'x'.repeat(100_000);
    expect(() => decode(base({ reasoning_effort: huge }))).toThrow(/Invalid value: 'x{61}\.\.\.'/);
  });
});

describe('openai chat decodeRequest: garbage never raises a TypeError', () => {
  // A small deterministic PRNG so a failure reproduces.
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const values = (): unknown[] => [null, undefined, 0, -1, 1.5, 'x', '', true, [], [null], {}, { type: 'text' }, [{}], { url: 5 }, 'data:', NaN];
  const pick = (): unknown => {
    const v = values();
    return v[rand(v.length)];
  };
  const paths = [
    ['messages'], ['messages', 0], ['messages', 0, 'role'], ['messages', 0, 'content'], ['messages', 0, 'content', 0], ['messages', 0, 'content', 0, 'image_url'],
    ['messages', 0, 'content', 0, 'type'], ['messages', 1, 'tool_calls'], ['messages', 1, 'tool_calls', 0], ['messages', 1, 'tool_calls', 0, 'function'],
    ['messages', 1, 'images'], ['messages', 1, 'images', 0], ['messages', 2, 'tool_call_id'], ['messages', 2, 'content'], ['tools'], ['tools', 0],
    ['tools', 0, 'function'], ['tool_choice'], ['tool_choice', 'function'], ['response_format'], ['response_format', 'json_schema'], ['stop'],
    ['image_config'], ['extra_body'], ['extra_body', 'google'], ['reasoning'], ['modalities'], ['functions'], ['function_call'], ['n'], ['max_tokens'],
  ];

  function template(): Record<string, unknown> {
    return {
      model: 'm',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'https://x.test/a.png' } }] },
        { role: 'assistant', content: 'x', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }], images: [] },
        { role: 'tool', tool_call_id: 'c', content: 'r' },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: {} } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
      response_format: { type: 'json_schema', json_schema: { schema: {} } },
      image_config: { aspect_ratio: '1:1' },
    };
  }

  function setPath(obj: unknown, path: Array<string | number>, value: unknown): void {
    let at = obj as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) {
      const next = at[key];
      if (typeof next !== 'object' || next === null) return;
      at = next as Record<string | number, unknown>;
    }
    at[path[path.length - 1] as string | number] = value;
  }

  it('2,000 mutated requests either decode or throw GatewayError(invalid_request)', () => {
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      const body = template();
      const mutations = 1 + rand(3);
      for (let m = 0; m < mutations; m++) setPath(body, paths[rand(paths.length)] as Array<string | number>, pick());
      try {
        decode(body);
      } catch (err) {
        if (!(err instanceof GatewayError)) throw new Error(`non-gateway error for ${JSON.stringify(body)}: ${String(err)}`);
        expect(err.kind).toBe('invalid_request');
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(100);
  });

  it('a body that is not an object is refused', () => {
    for (const body of [null, [], 'x', 5]) {
      expect(() => decode(body as unknown as Record<string, unknown>)).toThrow(GatewayError);
    }
  });
});
