// Reading a channel's proxy and waits, and keeping a proxy password out of
// anything shown.
import { expect, test } from 'vitest';
import { redactProxyUrl, unmaskedProxyUrl, upstreamSettings, upstreamSettingsProblems } from '../../src/routing/upstream-settings.js';

test('proxy and the four waits are read; anything invalid counts as unset', () => {
  expect(upstreamSettings({ proxy: 'http://u:p@h:1', timeouts: { connect_ms: 5, first_byte_ms: 6, idle_ms: 7, total_ms: 8 } })).toEqual({
    proxy: 'http://u:p@h:1',
    connectMs: 5,
    firstByteMs: 6,
    idleMs: 7,
    totalMs: 8,
  });
  expect(upstreamSettings({ timeouts: { connect_ms: 0, total_ms: 1.5, idle_ms: '9' } })).toEqual({});
  expect(upstreamSettings({ proxy: '', timeouts: null })).toEqual({});
  // A proxy that is set but unusable is not "no proxy": the relay refuses to send without it.
  expect(upstreamSettings({ proxy: 'ftp://u:pw@h' })).toEqual({ proxyProblem: 'expected an http://, https:// or socks5:// proxy URL, got "ftp://u:…@h"' });
  expect(upstreamSettings({ param_override: { a: 1 } })).toEqual({});
});

test('parsed once per settings object: the same answer object comes back', () => {
  const settings = { timeouts: { total_ms: 100 } };
  expect(upstreamSettings(settings)).toBe(upstreamSettings(settings));
  expect(upstreamSettings({ timeouts: { total_ms: 100 } })).not.toBe(upstreamSettings(settings));
});

test('redaction replaces only the password and keeps the URL as written', () => {
  expect(redactProxyUrl('http://user:s3cr%40t@proxy.example:3128')).toBe('http://user:…@proxy.example:3128');
  expect(redactProxyUrl('socks5://u:p@127.0.0.1:1080')).toBe('socks5://u:…@127.0.0.1:1080');
  expect(redactProxyUrl('http://proxy.example:3128')).toBe('http://proxy.example:3128');
  expect(redactProxyUrl('http://user@proxy.example:3128')).toBe('http://user@proxy.example:3128');
  expect(redactProxyUrl('u:secret@proxy.example')).toBe('…@proxy.example');
});

test('a masked proxy sent back stands for the stored one only when everything but the password matches', () => {
  const stored = 'http://user:s3cret@proxy.example:3128';
  expect(unmaskedProxyUrl('http://user:…@proxy.example:3128', stored)).toBe(stored);
  expect(unmaskedProxyUrl('http://user:%E2%80%A6@proxy.example:3128', stored)).toBe(stored);
  expect(unmaskedProxyUrl('http://other:…@proxy.example:3128', stored)).toBeUndefined();
  expect(unmaskedProxyUrl('http://user:…@proxy.example:3129', stored)).toBeUndefined();
  expect(unmaskedProxyUrl('http://user:…@proxy.example:3128', undefined)).toBeUndefined();
  expect(unmaskedProxyUrl('http://user:new@proxy.example:3128', stored)).toBe('http://user:new@proxy.example:3128');
});

test('API problems name the field and never the password', () => {
  const problems = upstreamSettingsProblems({ proxy: 'socks4://u:hunter22@h:1', timeouts: { total_ms: 0, conect_ms: 1 } });
  expect(problems.map((p) => p.path.join('.'))).toEqual(['proxy', 'timeouts.total_ms', 'timeouts.conect_ms']);
  expect(JSON.stringify(problems)).not.toContain('hunter22');
  expect(upstreamSettingsProblems({ proxy: 'https://proxy.example', timeouts: { connect_ms: 1, total_ms: 3_600_000 } })).toEqual([]);
});
