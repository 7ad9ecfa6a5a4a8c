import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { interpolateString } from '../../src/config/interpolate.js';
import { ConfigError, loadConfigFile, parseConfigText } from '../../src/config/load.js';
import { CONTRACT_EXAMPLE } from './fixtures.js';
import { configProblems } from './config-problems.js';

const problemsOf = configProblems;

describe('parseConfigText', () => {
  test('the CONTRACT §3 example parses into the normalised shape', () => {
    const config = parseConfigText(CONTRACT_EXAMPLE, { GEMINI_API_KEY: 'AIza-test' });
    expect(config.groups).toEqual({ default: { ratio: 1 }, vip: { ratio: 0.8 } });
    expect(config.channels).toEqual([
      {
        name: 'google',
        type: 'gemini',
        base_url: 'https://generativelanguage.googleapis.com',
        keys: ['AIza-test'],
        models: ['gemini-2.5-flash-image', 'gemini-3-pro-image-preview'],
        model_mapping: { 'nano-banana': 'gemini-2.5-flash-image' },
        groups: ['default'],
        priority: 10,
        weight: 1,
      },
    ]);
    expect(config.users).toEqual([{ name: 'alice', group: 'default', balance_usd: 20 }]);
    expect(config.tokens).toEqual([
      {
        name: 'demo',
        user: 'alice',
        key: 'sk-demo-0123456789abcdef0123456789abcdef',
        quota_usd: 5,
        models: ['gemini-2.5-flash-image'],
        allow_ips: ['127.0.0.1/32'],
        expires_at: Date.UTC(2027, 0, 1),
      },
    ]);
    expect(config.prices).toEqual({
      'gemini-3-pro-image-preview': {
        input_per_mtok: 2,
        output_per_mtok: 12,
        image_output_per_mtok: 120,
        per_image: { '1K': 0.134, '2K': 0.134, '4K': 0.24 },
      },
    });
  });

  test('an empty file, a comment-only file and empty sections are an empty config', () => {
    const empty = { groups: {}, channels: [], users: [], tokens: [], prices: {} };
    expect(parseConfigText('', {})).toEqual(empty);
    expect(parseConfigText('# nothing yet\n', {})).toEqual(empty);
    expect(parseConfigText('groups:\nchannels:\nusers:\ntokens:\nprices:\n', {})).toEqual(empty);
  });

  test('`key` is shorthand for a one-item `keys`; a simulator channel needs no key', () => {
    const config = parseConfigText(
      `channels:
  - { name: a, type: openai, key: sk-upstream, models: [gpt-4.1] }
  - { name: sim, type: simulator, models: [gemini-2.5-flash-image] }
`,
      {},
    );
    expect(config.channels.map((c) => c.keys)).toEqual([['sk-upstream'], []]);
  });

  test('expires_at: date-time with offset, date only, zone-less (UTC), null, and a YAML 1.1 timestamp', () => {
    const config = parseConfigText(
      `tokens:
  - { name: a, expires_at: "2027-01-01T02:00:00+02:00" }
  - { name: b, expires_at: 2027-01-01 }
  - { name: c, expires_at: "2027-01-01T00:00:00" }
  - { name: d, expires_at: null }
`,
      {},
    );
    expect(config.tokens.map((t) => t.expires_at)).toEqual([Date.UTC(2027, 0, 1), Date.UTC(2027, 0, 1), Date.UTC(2027, 0, 1), null]);
    const v11 = parseConfigText('%YAML 1.1\n---\ntokens:\n  - { name: a, expires_at: 2027-01-01T00:00:00Z }\n', {});
    expect(v11.tokens[0]!.expires_at).toBe(Date.UTC(2027, 0, 1));
  });

  test('a YAML syntax error names the line and column', () => {
    expect(problemsOf('channels:\n  - name: a\n    models: [x, y\n  - name: b\n')).toEqual([
      expect.stringMatching(/^line 4, column \d+: .*/),
    ]);
    expect(problemsOf('groups:\n  vip: { ratio: 1 }\n  vip: { ratio: 2 }\n')).toEqual([
      'line 3, column 3: Map keys must be unique',
    ]);
    expect(problemsOf('a: "unterminated\n')[0]).toMatch(/^line \d+, column \d+: Missing closing "quote/);
  });

  test('the message of a ConfigError prefixes every problem with the source', () => {
    expect(() => parseConfigText('channels: 5\nusers: 6\n', {}, 'ws.yaml')).toThrow(
      'ws.yaml: channels: expected a list, got 5\nws.yaml: users: expected a list, got 6',
    );
  });

  test('a top level that is not a mapping', () => {
    expect(problemsOf('- a\n- b\n')).toEqual([
      '(top level): expected a mapping with groups, channels, users, tokens and prices',
    ]);
    expect(problemsOf('just text\n')).toHaveLength(1);
  });

  test('an alias bomb is refused', () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    expect(problemsOf(lines.join('\n'))[0]).toMatch(/alias/i);
  });
});

describe('interpolation', () => {
  const channel = (keyExpr: string, extra = '') =>
    `channels:\n  - name: g\n    type: gemini\n    keys: [${keyExpr}]\n    models: [m]\n${extra}`;

  test('${VAR} and ${VAR:-default}', () => {
    const config = parseConfigText(channel('"${KEY}", "${OTHER:-fallback}", "${SET:-unused}", "k-${KEY}-x"'), {
      KEY: 'abc',
      SET: 'set',
    });
    expect(config.channels[0]!.keys).toEqual(['abc', 'fallback', 'set', 'k-abc-x']);
  });

  test('an empty variable takes the default; without one it is empty text', () => {
    expect(interpolateString('${A:-d}', { A: '' })).toEqual({ value: 'd' });
    expect(interpolateString('[${A}]', { A: '' })).toEqual({ value: '[]' });
  });

  test('a missing variable names the path of the value', () => {
    expect(problemsOf(channel('"${GEMINI_API_KEY}"'))).toEqual([
      'channels[0].keys[0]: environment variable GEMINI_API_KEY is not set',
    ]);
  });

  test('every missing variable is reported at once', () => {
    const text = `${channel('"${A}", "${B}${C}"')}users:\n  - name: "\${D}"\n`;
    expect(problemsOf(text)).toEqual([
      'channels[0].keys[0]: environment variable A is not set',
      'channels[0].keys[1]: environment variable B is not set',
      'channels[0].keys[1]: environment variable C is not set',
      'users[0].name: environment variable D is not set',
    ]);
  });

  test('malformed references', () => {
    expect(problemsOf(channel('"${1BAD}"'))).toEqual([
      'channels[0].keys[0]: bad reference "${1BAD}"; expected ${NAME} or ${NAME:-default}',
    ]);
    expect(problemsOf(channel('"${OPEN"'))).toEqual(['channels[0].keys[0]: unclosed "${" in "${OPEN"']);
  });

  test('$${ is a literal ${, and a lone $ is left alone', () => {
    expect(interpolateString('$${HOME} costs $5', { HOME: '/root' })).toEqual({ value: '${HOME} costs $5' });
  });

  test('unquoted interpolated numbers and booleans keep their YAML type; quoted ones stay text', () => {
    const config = parseConfigText(
      `users:\n  - name: u\n    balance_usd: \${BAL}\ntokens:\n  - name: t\n    unlimited: \${UNL}\n`,
      { BAL: '12.5', UNL: 'true' },
    );
    expect(config.users[0]!.balance_usd).toBe(12.5);
    expect(config.tokens[0]!.unlimited).toBe(true);
    expect(problemsOf('users:\n  - name: u\n    balance_usd: "${BAL}"\n', { BAL: '3' })).toEqual([
      'users[0].balance_usd: expected a number, got "3"',
    ]);
  });

  test('values reached through an alias are interpolated once, at the anchor', () => {
    const config = parseConfigText(
      `channels:\n  - { name: a, type: gemini, keys: &k ["\${K}"], models: [m] }\n  - { name: b, type: gemini, keys: *k, models: [m] }\n`,
      { K: 'secret' },
    );
    expect(config.channels.map((c) => c.keys)).toEqual([['secret'], ['secret']]);
  });

  test('merge keys (<<: *defaults) share fields between entries', () => {
    const yaml = [
      'channels:',
      '  - &defaults',
      '    name: first',
      '    type: openai-compatible',
      '    base_url: https://llm.internal',
      '    key: "${K}"',
      '    models: [m]',
      '  - { <<: *defaults, name: second, key: other }',
      '',
    ].join('\n');
    const config = parseConfigText(yaml, { K: 'from-env' });
    expect(config.channels.map((c) => [c.name, c.type, c.base_url, c.keys])).toEqual([
      ['first', 'openai-compatible', 'https://llm.internal', ['from-env']],
      ['second', 'openai-compatible', 'https://llm.internal', ['other']],
    ]);
  });

  test('keys and comments are not interpolated', () => {
    const config = parseConfigText('# ${NOPE}\nprices:\n  "${M}": { per_call: 1 }\n', {});
    expect(Object.keys(config.prices)).toEqual(['${M}']);
  });
});

describe('loadConfigFile', () => {
  test('reads a file and names it in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-load-'));
    const file = join(dir, 'waystation.yaml');
    writeFileSync(file, CONTRACT_EXAMPLE);
    expect(loadConfigFile(file, { GEMINI_API_KEY: 'x' }).channels[0]!.name).toBe('google');
    expect(() => loadConfigFile(file, {})).toThrow(
      `${file}: channels[0].keys[0]: environment variable GEMINI_API_KEY is not set`,
    );
  });

  test('a missing file or a directory is a ConfigError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ws-load-'));
    expect(() => loadConfigFile(join(dir, 'nope.yaml'), {})).toThrow(`${join(dir, 'nope.yaml')}: cannot read the config file: no such file`);
    expect(() => loadConfigFile(dir, {})).toThrow(ConfigError);
  });
});
