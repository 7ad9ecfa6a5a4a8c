// The config file's `settings.proxy` and `settings.timeouts`: what is refused,
// in which words, and that a proxy password never appears in a message.
import { describe, expect, test } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { configProblems } from './config-problems.js';

const problemsOf = (text: string): string[] => configProblems(text);
const withSettings = (settings: string) => `channels:\n  - { name: a, type: openai, key: k, models: [m], settings: ${settings} }\n`;

describe('settings.proxy', () => {
  test.each([
    ['ftp://u:hunter22@proxy.example:21', 'expected an http://, https:// or socks5:// proxy URL, got "ftp://u:…@proxy.example:21"'],
    ['socks4://u:hunter22@proxy.example:1080', 'socks4 proxies are not supported; use socks5://, http:// or https:// (got "socks4://u:…@proxy.example:1080")'],
    ['socks5h://proxy.example:1080', 'socks5h proxies are not supported; use socks5://, http:// or https:// (got "socks5h://proxy.example:1080")'],
    ['proxy.example:8080', 'expected an http://, https:// or socks5:// proxy URL, got "proxy.example:8080"'],
    ['http://u:hunter22@proxy.example:8080/path', 'a proxy URL is scheme://[user:pass@]host:port, without a path or query: "http://u:…@proxy.example:8080/path"'],
    ['http://:hunter22@proxy.example:8080', 'the proxy URL has a password but no user name: "http://:…@proxy.example:8080"'],
  ])('%s is refused', (proxy, message) => {
    const problems = problemsOf(withSettings(`{ proxy: "${proxy}" }`));
    expect(problems).toEqual([`channels[0].settings.proxy: ${message}`]);
    expect(problems.join('\n')).not.toContain('hunter22');
  });

  test('a number is refused', () => {
    expect(problemsOf(withSettings('{ proxy: 8080 }'))).toEqual(['channels[0].settings.proxy: expected a proxy URL such as http://user:pass@proxy.example:8080']);
  });

  test('http, https and socks5 proxies, with or without credentials, are accepted as written', () => {
    for (const proxy of ['http://proxy.example:3128', 'https://u:p%40ss@proxy.example', 'socks5://u:p@127.0.0.1:1080']) {
      const ok = parseConfigText(withSettings(`{ proxy: "${proxy}" }`), {});
      expect(ok.channels[0]!.settings!.proxy).toBe(proxy);
    }
  });
});

describe('settings.timeouts', () => {
  test('all four waits are whole positive milliseconds', () => {
    const ok = parseConfigText(withSettings('{ timeouts: { connect_ms: 500, first_byte_ms: 60000, idle_ms: 30000, total_ms: 600000 } }'), {});
    expect(ok.channels[0]!.settings!.timeouts).toEqual({ connect_ms: 500, first_byte_ms: 60000, idle_ms: 30000, total_ms: 600000 });
    expect(problemsOf(withSettings('{ timeouts: { connect_ms: 0, total_ms: -1, idle_ms: 2.5, first_byte_ms: "fast" } }'))).toEqual([
      'channels[0].settings.timeouts.connect_ms: must be at least 1',
      'channels[0].settings.timeouts.total_ms: must be at least 1',
      'channels[0].settings.timeouts.idle_ms: expected an integer, got 2.5',
      'channels[0].settings.timeouts.first_byte_ms: expected a number, got "fast"',
    ]);
  });

  test('an unknown wait is named, with the likely one', () => {
    expect(problemsOf(withSettings('{ timeouts: { conect_ms: 500 } }'))).toEqual([
      'channels[0].settings.timeouts.conect_ms: unknown field; did you mean "connect_ms"?',
    ]);
  });

  test('more than an hour is refused', () => {
    expect(problemsOf(withSettings('{ timeouts: { total_ms: 3600001 } }'))).toHaveLength(1);
  });
});
