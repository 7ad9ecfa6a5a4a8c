import { describe, expect, test } from 'vitest';
import { parseConfigText, validateConfig } from '../../src/config/load.js';
import { isIpOrCidr } from '../../src/config/schema.js';
import { formatPath } from '../../src/config/zod-messages.js';
import { configProblems } from './config-problems.js';

const problemsOf = (text: string): string[] => configProblems(text);

/** Wraps one channel's YAML fields in a valid config. */
const channels = (...items: string[]) => `channels:\n${items.map((i) => `  - ${i}\n`).join('')}`;
const okChannel = '{ name: ok, type: gemini, keys: [k], models: [m] }';

describe('channels', () => {
  test('an unknown type names the allowed ones, in the exact contract wording', () => {
    expect(problemsOf(channels(okChannel, '{ name: b, type: openai, key: k, models: [m] }', '{ name: c, type: foo, keys: [k], models: [m] }'))).toEqual([
      'channels[2].type: unknown type "foo"; expected one of gemini, openai, anthropic, openai-compatible, simulator, vertex',
    ]);
  });

  test('missing required fields', () => {
    expect(problemsOf(channels('{ keys: [k] }'))).toEqual([
      'channels[0].name: required',
      'channels[0].type: required',
      'channels[0].models: required',
    ]);
  });

  test('wrong types', () => {
    expect(problemsOf(channels('{ name: a, type: gemini, keys: k, models: [m], priority: high, weight: 1.5, model_mapping: [x] }'))).toEqual([
      'channels[0].keys: expected a list, got "k"',
      'channels[0].priority: expected a number, got "high"',
      'channels[0].weight: expected an integer, got 1.5',
      'channels[0].model_mapping: expected a mapping, got a list',
    ]);
  });

  test('an unknown field is named, with a suggestion for a typo', () => {
    expect(problemsOf(channels('{ name: a, type: gemini, keys: [k], models: [m], priorty: 5, colour: red }'))).toEqual([
      'channels[0].priorty: unknown field; did you mean "priority"?',
      'channels[0].colour: unknown field; expected one of name, type, base_url, key, keys, models, model_mapping, groups, priority, weight, status, settings',
    ]);
  });

  test('keys: required except for the simulator, not both forms, not empty, not repeated', () => {
    expect(problemsOf(channels('{ name: a, type: openai, models: [m] }'))).toEqual([
      'channels[0].keys: a channel of type openai needs at least one key',
    ]);
    expect(problemsOf(channels('{ name: a, type: openai, key: x, keys: [y], models: [m] }'))).toEqual([
      'channels[0].key: set either key or keys, not both',
    ]);
    expect(problemsOf(channels('{ name: a, type: openai, keys: ["", "  "], models: [m] }'))).toEqual([
      'channels[0].keys[0]: must not be empty',
      'channels[0].keys[1]: must not be empty',
    ]);
    expect(problemsOf(channels('{ name: a, type: openai, keys: [x, y, x], models: [m] }'))).toEqual([
      'channels[0].keys[2]: the same key is listed twice',
    ]);
  });

  test('base_url: a real http(s) URL; required for openai-compatible', () => {
    expect(problemsOf(channels('{ name: a, type: openai, key: k, models: [m], base_url: "ftp://x" }'))).toEqual([
      'channels[0].base_url: expected an http:// or https:// URL, got "ftp://x"',
    ]);
    expect(problemsOf(channels('{ name: a, type: openai-compatible, key: k, models: [m] }'))).toEqual([
      'channels[0].base_url: required for a channel of type openai-compatible',
    ]);
  });

  test('models: at least one, no repeats, no spaces', () => {
    expect(problemsOf(channels('{ name: a, type: gemini, key: k, models: [] }'))).toEqual([
      'channels[0].models: list at least one model',
    ]);
    expect(problemsOf(channels('{ name: a, type: gemini, key: k, models: [m, "x y", m] }'))).toEqual([
      'channels[0].models[1]: a model name must not contain spaces, got "x y"',
    ]);
    expect(problemsOf(channels('{ name: a, type: gemini, key: k, models: [m, n, m] }'))).toEqual([
      'channels[0].models[2]: "m" is listed twice',
    ]);
  });

  test('status and settings', () => {
    expect(problemsOf(channels('{ name: a, type: gemini, key: k, models: [m], status: on, settings: { proxy: nope, header_override: { X-A: 1 } } }'))).toEqual([
      'channels[0].status: unknown value "on"; expected one of enabled, disabled',
      'channels[0].settings.proxy: expected an http://, https:// or socks5:// proxy URL, got "nope"',
      'channels[0].settings.header_override.X-A: expected text, got 1',
    ]);
    const ok = parseConfigText(channels('{ name: a, type: gemini, key: k, models: [m], settings: { timeout_ms: 5000, test_model: m } }'), {});
    expect(ok.channels[0]!.settings).toEqual({ timeout_ms: 5000, test_model: 'm' });
  });

  test('duplicate names and unknown groups (cross-references)', () => {
    const text = `groups:\n  vip: { ratio: 0.8 }\n${channels(okChannel, '{ name: ok, type: gemini, keys: [k], models: [m], groups: [vip, vipp] }')}`;
    expect(problemsOf(text)).toEqual([
      'channels[1].name: duplicate channel "ok" (also channels[0])',
      'channels[1].groups[1]: unknown group "vipp"; define it under groups (known: default, vip)',
    ]);
  });
});

describe('users', () => {
  test('negative balance, unknown role, bad group name, short access key', () => {
    expect(problemsOf('users:\n  - { name: bob, balance_usd: -5, role: root, group: "a b", access_key: short }\n')).toEqual([
      'users[0].balance_usd: must not be negative',
      'users[0].role: unknown value "root"; expected one of admin, user',
      'users[0].group: group names use letters, digits, "_", "-" and "." (up to 64), got "a b"',
      'users[0].access_key: must be at least 16 characters',
    ]);
  });

  test('duplicates, unknown group, shared access key', () => {
    const text = `users:
  - { name: a, group: gold, access_key: mgmt-key-0123456789 }
  - { name: a, access_key: mgmt-key-0123456789 }
`;
    expect(problemsOf(text)).toEqual([
      'users[0].group: unknown group "gold"; define it under groups (known: default)',
      'users[1].name: duplicate user "a" (also users[0])',
      'users[1].access_key: same key as users[0].access_key',
    ]);
  });

  test('a balance too large for micro-dollars', () => {
    expect(problemsOf('users:\n  - { name: a, balance_usd: 1e12 }\n')).toEqual(['users[0].balance_usd: must be at most 1000000000']);
  });
});

describe('tokens', () => {
  test('key prefix, CIDR allow-list, expiry, quota', () => {
    const text = `tokens:
  - name: t
    key: pk-0123456789abcdef
    allow_ips: [10.0.0.0/8, 10.0.0.0/33, "::1", "2001:db8::/129", 300.1.1.1, nonsense]
    expires_at: next year
    quota_usd: -1
`;
    expect(problemsOf(text)).toEqual([
      'tokens[0].key: must start with "sk-", got "pk-0123456789abcdef"',
      'tokens[0].allow_ips[1]: not an IP address or CIDR range: "10.0.0.0/33"',
      'tokens[0].allow_ips[3]: not an IP address or CIDR range: "2001:db8::/129"',
      'tokens[0].allow_ips[4]: not an IP address or CIDR range: "300.1.1.1"',
      'tokens[0].allow_ips[5]: not an IP address or CIDR range: "nonsense"',
      'tokens[0].expires_at: expected an ISO date-time such as 2027-01-01T00:00:00Z, got "next year"',
      'tokens[0].quota_usd: must not be negative',
    ]);
  });

  test('a short or spaced key', () => {
    expect(problemsOf('tokens:\n  - { name: t, key: sk-short }\n')).toEqual(['tokens[0].key: must be at least 16 characters']);
    expect(problemsOf('tokens:\n  - { name: t, key: "sk-0123456789 abcdef" }\n')).toEqual([
      'tokens[0].key: must not contain spaces or non-ASCII characters',
    ]);
  });

  test('quota_usd and unlimited', () => {
    expect(problemsOf('tokens:\n  - { name: t, quota_usd: 5, unlimited: true }\n')).toEqual([
      'tokens[0].unlimited: set either quota_usd or unlimited: true, not both',
    ]);
    expect(problemsOf('tokens:\n  - { name: t, unlimited: false }\n')).toEqual(['tokens[0].quota_usd: required when unlimited is false']);
    expect(problemsOf('tokens:\n  - { name: t, unlimited: "yes" }\n')).toEqual(['tokens[0].unlimited: expected true or false, got "yes"']);
  });

  test('channel routing settings: breaker, key rotation, status mapping, image output', () => {
    const ch = (settings: string) => `channels:\n  - { name: c, type: openai, key: k, models: [m], settings: ${settings} }\n`;
    expect(() => parseConfigText(ch('{ breaker: false, key_rotation: random, status_code_mapping: { "404": 503 }, image_output: url }'), {})).not.toThrow();
    expect(() => parseConfigText(ch('{ breaker: { failures: 3, cooldown_ms: 1000 } }'), {})).not.toThrow();
    const problems = problemsOf(ch('{ breaker: { failures: 0, cooldwn_ms: 5 }, key_rotation: shuffle, status_code_mapping: { "4o4": 500 }, image_output: inline }'));
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/breaker\.failures must be a whole number/);
    expect(problems.join('\n')).toMatch(/breaker\.cooldwn_ms is not a breaker setting/);
    expect(problems.join('\n')).toMatch(/key_rotation/);
    expect(problems.join('\n')).toMatch(/status_code_mapping/);
    expect(problems.join('\n')).toMatch(/image_output/);
  });

  test('image_output: one of the four modes or null; anything else names the choices', () => {
    for (const mode of ['images', 'markdown', 'both', 'url', 'null']) {
      expect(() => parseConfigText(`tokens:\n  - { name: t, image_output: ${mode} }\n`, {})).not.toThrow();
    }
    const config = parseConfigText('tokens:\n  - { name: a, image_output: url }\n  - { name: b, image_output: null }\n  - { name: c }\n', {});
    expect(config.tokens.map((t) => t.image_output)).toEqual(['url', null, undefined]);
    expect(problemsOf('tokens:\n  - { name: t, image_output: inline }\n')).toEqual([
      'tokens[0].image_output: unknown value "inline"; expected one of images, markdown, both, url',
    ]);
    expect(problemsOf('tokens:\n  - { name: t, image_output: Markdown }\n')).toEqual([
      'tokens[0].image_output: unknown value "Markdown"; expected one of images, markdown, both, url',
    ]);
    expect(problemsOf('tokens:\n  - { name: t, image_output: [images] }\n')).toEqual([
      'tokens[0].image_output: unknown value a list; expected one of images, markdown, both, url',
    ]);
    expect(problemsOf('tokens:\n  - { name: t, image_ouput: url }\n')).toEqual([
      'tokens[0].image_ouput: unknown field; did you mean "image_output"?',
    ]);
  });

  test('empty allow-lists are refused rather than locking the token out', () => {
    expect(problemsOf('tokens:\n  - { name: t, models: [], allow_ips: [] }\n')).toEqual([
      'tokens[0].models: list at least one model, or leave models out to allow all',
      'tokens[0].allow_ips: list at least one address, or leave allow_ips out to allow any',
    ]);
  });

  test('duplicate (user, name), shared keys, unknown group', () => {
    const text = `tokens:
  - { name: t, key: sk-0123456789abcdef }
  - { name: t, key: sk-0123456789abcdef, group: gold }
  - { name: t, user: bob }
`;
    expect(problemsOf(text)).toEqual([
      'tokens[1].name: duplicate token "t" for user (root admin) (also tokens[0])',
      'tokens[1].key: same key as tokens[0].key',
      'tokens[1].group: unknown group "gold"; define it under groups (known: default)',
    ]);
  });
});

describe('groups and prices', () => {
  test('group fields', () => {
    expect(problemsOf('groups:\n  vip: { ratio: -1, rate: 2 }\n  "bad name": {}\n  fine:\n')).toEqual([
      'groups.vip.ratio: must not be negative',
      'groups.vip.rate: unknown field; did you mean "ratio"?',
      'groups["bad name"]: group names use letters, digits, "_", "-" and "." (up to 64), got "bad name"',
    ]);
  });

  test('price fields', () => {
    const text = `prices:
  gpt-4.1: { input_per_mtok: -2, output_per_mtok: "12" }
  empty: {}
  img: { per_image: { 1K: cheap }, per_cal: 1 }
`;
    expect(problemsOf(text)).toEqual([
      'prices["gpt-4.1"].input_per_mtok: must not be negative',
      'prices["gpt-4.1"].output_per_mtok: expected a number, got "12"',
      'prices.empty: set at least one price',
      'prices.img.per_image["1K"]: expected a number, got "cheap"',
      'prices.img.per_cal: unknown field; did you mean "per_call"?',
    ]);
  });

  test('every CONTRACT price key is accepted', () => {
    const config = parseConfigText(
      `prices:
  m:
    input_per_mtok: 1
    cached_input_per_mtok: 0.1
    cache_write_5m_per_mtok: 1.25
    cache_write_1h_per_mtok: 2
    output_per_mtok: 4
    image_output_per_mtok: 30
    reasoning_per_mtok: 4
    per_image: { "512": 0.02, 1K: 0.04, 1024x1024: 0.04, default: 0.04 }
    per_call: 0.001
`,
      {},
    );
    expect(config.prices.m!.per_image).toEqual({ '512': 0.02, '1K': 0.04, '1024x1024': 0.04, default: 0.04 });
  });
});

describe('top level and helpers', () => {
  test('an unknown section is named', () => {
    expect(problemsOf('chanels: []\n')).toEqual(['chanels: unknown field; did you mean "channels"?']);
  });

  test('problems from every section are listed together', () => {
    const text = `groups: { g: { ratio: x } }
${channels('{ name: c, type: foo, key: k, models: [m] }')}users: [{ name: u, balance_usd: -1 }]
tokens: [{ name: t, key: nope-0123456789abcdef }]
prices: { m: { per_call: -1 } }
`;
    expect(problemsOf(text)).toHaveLength(5);
  });

  test('validateConfig accepts parsed values from code', () => {
    expect(validateConfig({ channels: [{ name: 'a', type: 'simulator', models: ['m'] }] }).channels[0]!.keys).toEqual([]);
    expect(() => validateConfig(null)).toThrow('config: (top level): expected a mapping');
  });

  test('formatPath', () => {
    expect(formatPath(['channels', 2, 'type'])).toBe('channels[2].type');
    expect(formatPath(['prices', 'gpt-4.1', 'per_image', '1K'])).toBe('prices["gpt-4.1"].per_image["1K"]');
    expect(formatPath([])).toBe('(top level)');
  });

  test.each([
    ['127.0.0.1', true],
    ['127.0.0.1/32', true],
    ['0.0.0.0/0', true],
    ['::1', true],
    ['2001:db8::/32', true],
    ['::/0', true],
    ['10.0.0.0/33', false],
    ['10.0.0.0/', false],
    ['10.0.0.0/8/8', false],
    ['10.0.0.0/-1', false],
    ['256.0.0.1', false],
    ['localhost', false],
    ['', false],
  ])('isIpOrCidr(%j) = %s', (input, ok) => {
    expect(isIpOrCidr(input)).toBe(ok);
  });
});
