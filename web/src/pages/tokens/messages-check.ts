// Checks a page's words: every English key has its Chinese twin with the same
// placeholders, and the Chinese is translated. Plural forms are compared by
// their base key (English has `_one` and `_other`, Chinese only `_other`).
// Shared by the tokens, users, groups and prices message tests.
import { expect } from 'vitest';

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [[`${prefix}${k}`, v]] : Object.entries(flatten(v, `${prefix}${k}.`)))),
  );
}

const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');
const vars = (s: string) => [...new Set([...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]))].sort();

export function expectTranslated(messages: { en: Tree; zh: Tree }): void {
  const en = flatten(messages.en);
  const zh = flatten(messages.zh);
  const keys = (m: Record<string, string>) => [...new Set(Object.keys(m).map(base))].sort();
  expect(keys(zh)).toEqual(keys(en));
  for (const [k, v] of Object.entries(en)) {
    const twin = zh[k] ?? zh[`${base(k)}_other`];
    expect(twin, k).toBeDefined();
    expect(vars(twin!), k).toEqual(vars(v));
  }
  const chinese = Object.values(zh).filter((v) => /[\u4e00-\u9fff]/.test(v)).length;
  expect(chinese).toBeGreaterThan(Object.keys(zh).length * 0.8);
}
