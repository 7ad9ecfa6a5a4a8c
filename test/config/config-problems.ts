// The problems a config text is refused with, for the config tests (fails
// the test when the text is accepted, or refused with anything but a ConfigError).
import { expect } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/config/load.js';

export function configProblems(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfigText(text, env, 'test.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}
