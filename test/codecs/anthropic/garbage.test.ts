// Odd input must give a GatewayError (or, for streams, an error event), never a TypeError.
import { describe, expect, it } from 'vitest';
import { anthropicCodec } from '../../../src/dialects/anthropic/codec/index.js';
import { GatewayError } from '../../../src/dialects/errors.js';
import { fixtureJson } from './helpers.js';

const oddValues: unknown[] = [null, undefined, 0, -1, 1.5, 'x', '', true, [], [null], {}, { type: 'text' }, [{ type: 'bogus' }]];

/** Every copy of `root` with one nested value replaced by one odd value. */
function* mutations(root: unknown): Generator<unknown> {
  function* walk(node: unknown, replace: (v: unknown) => unknown): Generator<unknown> {
    for (const odd of oddValues) yield replace(odd);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) yield* walk(node[i], (v) => replace(node.map((x, j) => (j === i ? v : x))));
    } else if (typeof node === 'object' && node !== null) {
      for (const key of Object.keys(node)) yield* walk((node as any)[key], (v) => replace({ ...(node as object), [key]: v }));
    }
  }
  yield* walk(root, (v) => v);
}

function expectOnlyGatewayErrors(run: () => unknown): 'ok' | 'refused' {
  try {
    run();
    return 'ok';
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    return 'refused';
  }
}

describe('anthropic codec on garbage', () => {
  for (const name of ['request-basic.json', 'request-multimodal.json', 'request-tools.json']) {
    it(`decodeRequest: every single-value mutation of ${name} decodes or is refused cleanly`, () => {
      const outcomes = { ok: 0, refused: 0 };
      for (const body of mutations(fixtureJson(name))) {
        const decoded = expectOnlyGatewayErrors(() => anthropicCodec.decodeRequest(body as Record<string, unknown>, { operation: '/messages' }));
        outcomes[decoded]++;
        if (decoded === 'ok') {
          // Whatever decodes must encode without a TypeError too.
          const req = anthropicCodec.decodeRequest(body as Record<string, unknown>, { operation: '/messages' });
          expectOnlyGatewayErrors(() => anthropicCodec.encodeRequest(req, { model: 'm', provider: 'anthropic' }));
        }
      }
      expect(outcomes.refused).toBeGreaterThan(50);
      expect(outcomes.ok).toBeGreaterThan(0);
    });
  }

  for (const name of ['response-text.json', 'response-tools-thinking.json']) {
    it(`decodeResponse: every single-value mutation of ${name} decodes or is refused cleanly`, () => {
      let refused = 0;
      for (const body of mutations(fixtureJson(name))) {
        if (expectOnlyGatewayErrors(() => anthropicCodec.decodeResponse(body as Record<string, unknown>)) === 'refused') refused++;
      }
      expect(refused).toBeGreaterThan(5);
    });
  }

  it('decodeResponse refuses non-objects as upstream errors', () => {
    for (const body of [null, 'text', 42, [], { content: 'x' }, { content: [7] }]) {
      try {
        anthropicCodec.decodeResponse(body as Record<string, unknown>);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(GatewayError);
        expect((err as GatewayError).kind).toBe('upstream');
      }
    }
  });

  it('stream decoder: odd frames give events or one error event, never a throw', () => {
    const frames = [
      'data: 42\n\n',
      'event: message_start\ndata: {"type":"message_start","message":null}\n\n',
      'event: content_block_start\ndata: {"type":"content_block_start","index":"0","content_block":[]}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":9,"delta":{"type":"input_json_delta","partial_json":5}}\n\n',
      'event: content_block_delta\ndata: {"type":"content_block_delta","delta":null}\n\n',
      'event: message_delta\ndata: {"type":"message_delta","delta":[],"usage":{"output_tokens":"many"}}\n\n',
      'event: error\ndata: {"type":"error","error":"boom"}\n\n',
      'random bytes \u0000\u00ff without structure\n\n',
    ];
    for (const f of frames) {
      const decoder = anthropicCodec.streamDecoder();
      const events = [...decoder.push(Buffer.from(f)), ...decoder.end()];
      for (const e of events) expect(typeof e.type).toBe('string');
    }
    const decoder = anthropicCodec.streamDecoder();
    expect(decoder.push(Buffer.from('data: 42\n\n'))).toEqual([{ type: 'error', status: 502, message: expect.stringContaining('not a JSON object') }]);
  });

  it('decodeRequest refuses a body that is not an object', () => {
    for (const body of [null, 'x', [], 3]) {
      expect(() => anthropicCodec.decodeRequest(body as unknown as Record<string, unknown>, { operation: '/messages' })).toThrow(GatewayError);
    }
  });
});
