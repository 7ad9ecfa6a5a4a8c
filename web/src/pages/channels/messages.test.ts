// Every English word of the page has its Chinese twin, and no placeholder is lost.
import { describe, expect, it } from 'vitest';
import { messages } from './messages';

type Tree = { [k: string]: string | Tree };
function flatten(tree: Tree, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v]] : Object.entries(flatten(v, `${prefix}${k}.`)))),
  );
}
const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('channels messages', () => {
  it('zh has the same keys and placeholders as en, and is translated', () => {
    const en = flatten(messages.en);
    const zh = flatten(messages.zh);
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(en)) expect(vars(zh[k]!), k).toEqual(vars(v));
    expect(zh.title).toBe('渠道');
    expect(Object.values(zh).filter((v) => /[\u4e00-\u9fff]/.test(v)).length).toBeGreaterThan(Object.keys(zh).length * 0.8);
  });
});
