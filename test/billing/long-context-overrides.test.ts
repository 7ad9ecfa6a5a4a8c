// Operator prices (config file and management API) carry `long_context` rates:
// a prompt above the threshold is billed at the long rate, end to end through
// a real gateway and the simulator. The threshold is set low (100 tokens) so
// a ~250-token prompt crosses it without megabytes of text.
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { TEST_ADMIN_KEY, TOKEN_KEY, simulatorConfig, startTestGateway, startTestSimulator, type TestGateway, type TestSimulator } from '../helpers/gateway.js';
import { configProblems } from '../config/config-problems.js';

// claude-sonnet-4-5 has a built-in long-context tier (200k); the overrides below replace it.
const MODEL = 'claude-sonnet-4-5';
const SHORT = { input_per_mtok: 1, output_per_mtok: 2 };
const LONG = { above_input_tokens: 100, input_per_mtok: 10, output_per_mtok: 20 };
const LONG_PROMPT = 'word '.repeat(200); // ≈ 250 tokens at the simulator's 4 characters a token
const SHORT_PROMPT = 'hi';

let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim?.close();
});

/** Sends one prompt and returns its usage row (cost in micro-dollars; USD/Mtok = micros per token). */
async function billedRow(gw: TestGateway, prompt: string) {
  const client = new Anthropic({ apiKey: TOKEN_KEY, baseURL: gw.url, maxRetries: 0 });
  await client.messages.create({ model: MODEL, max_tokens: 50, messages: [{ role: 'user', content: prompt }] });
  await gw.gw.usage.flush();
  const row = (await gw.gw.repos.usageLogs.query({ limit: 1 })).items[0]!;
  // Only plain input and text output, so the expected cost is two products.
  expect(row).toMatchObject({ status: 200, cached_input_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 });
  return row;
}

function expectBilledAt(row: Awaited<ReturnType<typeof billedRow>>, rates: { input_per_mtok: number; output_per_mtok: number }) {
  expect(row.cost_micros).toBe(Math.round(row.input_tokens * rates.input_per_mtok + row.output_text_tokens * rates.output_per_mtok));
}

const longContextFlag = (row: { cost_detail: unknown }) => (JSON.parse(String(row.cost_detail)) as Record<string, number>).long_context;

describe('long_context in the config file', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(
      simulatorConfig(
        sim.url,
        `prices:
  ${MODEL}:
    input_per_mtok: ${SHORT.input_per_mtok}
    output_per_mtok: ${SHORT.output_per_mtok}
    long_context: { above_input_tokens: ${LONG.above_input_tokens}, input_per_mtok: ${LONG.input_per_mtok}, output_per_mtok: ${LONG.output_per_mtok} }
`,
      ),
    );
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('is stored with the price and shown by the API', async () => {
    const res = await fetch(`${gw.url}/api/prices/${MODEL}`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
    expect(((await res.json()) as any).data).toMatchObject({ source: 'config', price: { ...SHORT, long_context: LONG } });
  });

  it('bills a prompt above the threshold at the long rate, a short one at the normal rate', async () => {
    const long = await billedRow(gw, LONG_PROMPT);
    expect(long.input_tokens).toBeGreaterThan(LONG.above_input_tokens);
    expectBilledAt(long, LONG);
    expect(longContextFlag(long)).toBe(1);

    const short = await billedRow(gw, SHORT_PROMPT);
    expect(short.input_tokens).toBeLessThanOrEqual(LONG.above_input_tokens);
    expectBilledAt(short, SHORT);
    expect(longContextFlag(short)).toBeUndefined();
  });
});

describe('long_context in the config file: bad values are config errors naming the field', () => {
  const problemsOf = (longContext: string): string[] => configProblems(`prices:\n  m:\n    input_per_mtok: 1\n    long_context: ${longContext}\n`);

  it.each([
    ['{ above_input_tokens: -5, input_per_mtok: 2 }', ['prices.m.long_context.above_input_tokens: must be at least 1']],
    ['{ above_input_tokens: 100, input_per_mtok: -2 }', ['prices.m.long_context.input_per_mtok: must not be negative']],
    ['{ above_input_tokens: 1.5, input_per_mtok: 2 }', ['prices.m.long_context.above_input_tokens: expected an integer, got 1.5']],
    ['{ input_per_mtok: 2 }', ['prices.m.long_context.above_input_tokens: required']],
    ['{ above_input_tokens: 100, input_per_mtk: 2 }', ['prices.m.long_context.input_per_mtk: unknown field; did you mean "input_per_mtok"?']],
    ['{ above_input_tokens: 100, image_output_per_mtok: 2 }', [
        'prices.m.long_context.image_output_per_mtok: unknown field; expected one of above_input_tokens, input_per_mtok, cached_input_per_mtok, cache_write_5m_per_mtok, cache_write_1h_per_mtok, output_per_mtok, reasoning_per_mtok',
      ],],
    ['{ above_input_tokens: 100 }', ['prices.m.long_context: set at least one long-context rate']],
    ['200000', ['prices.m.long_context: expected a mapping, got 200000']],
  ])('%s', (value, problems) => {
    expect(problemsOf(value)).toEqual(problems);
  });

  it('accepts every rate cost.ts reads', () => {
    const lc = {
      above_input_tokens: 200000,
      input_per_mtok: 6,
      cached_input_per_mtok: 0.6,
      cache_write_5m_per_mtok: 7.5,
      cache_write_1h_per_mtok: 12,
      output_per_mtok: 22.5,
      reasoning_per_mtok: 22.5,
    };
    const config = parseConfigText(`prices:\n  m: { input_per_mtok: 3, long_context: ${JSON.stringify(lc)} }\n`, {});
    expect(config.prices.m!.long_context).toEqual(lc);
  });
});

describe('long_context through the management API', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway(simulatorConfig(sim.url));
  });
  afterAll(async () => {
    await gw?.close();
  });

  async function api(method: string, body?: unknown) {
    const res = await fetch(`${gw.url}/api/prices/${MODEL}`, {
      method,
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  async function put(price: unknown) {
    const res = await api('PUT', price);
    await gw.gw.cache.settled(); // the price book reads prices from the cache
    return res;
  }

  it('PUT with long_context → GET returns it → billing uses it; PUT without it removes it', async () => {
    const saved = await put({ ...SHORT, long_context: LONG });
    expect(saved.status).toBe(200);
    expect(saved.body.data.price).toEqual({ ...SHORT, long_context: LONG });
    expect((await api('GET')).body.data).toMatchObject({ source: 'api', price: { ...SHORT, long_context: LONG } });
    expectBilledAt(await billedRow(gw, LONG_PROMPT), LONG);
    expectBilledAt(await billedRow(gw, SHORT_PROMPT), SHORT);

    // A PUT replaces the whole price: leaving long_context out drops it.
    expect((await put(SHORT)).status).toBe(200);
    const got = (await api('GET')).body.data;
    expect(got.price).toEqual(SHORT);
    expect(got.builtin.long_context.above_input_tokens).toBe(200_000); // the built-in keeps its own tier
    const long = await billedRow(gw, LONG_PROMPT);
    expectBilledAt(long, SHORT);
    expect(longContextFlag(long)).toBeUndefined();
  });

  it.each([
    [{ above_input_tokens: -1, input_per_mtok: 2 }, 'long_context.above_input_tokens'],
    [{ above_input_tokens: 0, input_per_mtok: 2 }, 'long_context.above_input_tokens'],
    [{ above_input_tokens: 100, output_per_mtok: -2 }, 'long_context.output_per_mtok'],
    [{ input_per_mtok: 2 }, 'long_context.above_input_tokens'],
    [{ above_input_tokens: 100, input_per_mtok: 2, surcharge: 1 }, 'long_context.surcharge'],
    [{ above_input_tokens: 100 }, 'long_context'],
    ['200000', 'long_context'],
  ])('refuses long_context %j with 400 naming %s', async (longContext, field) => {
    const before = (await api('GET')).body.data;
    const res = await put({ ...SHORT, long_context: longContext });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ success: false, data: { field } });
    expect(res.body.message).toMatch(new RegExp(`^${field.replace(/\./g, '\\.')}: `));
    expect((await api('GET')).body.data).toEqual(before); // nothing written
  });

  it('the entry shape ({ price: {…} }) names the field under price', async () => {
    const res = await put({ price: { ...SHORT, long_context: { input_per_mtok: 2 } } });
    expect(res.status).toBe(400);
    expect(res.body.data.field).toBe('price.long_context.above_input_tokens');
  });
});
