// Garbage generators: every path of a JSON value replaced by values of the wrong type.

const garbage: unknown[] = [null, 42, -1.5, 'x', true, [], {}, [null], { type: 7 }];

/** Every (path, mutated copy) where one node is swapped for one garbage value. */
export function* mutations(value: unknown): Generator<{ path: string; mutated: unknown }> {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(value, []);
  for (const path of paths) {
    if (path.length === 0) continue;
    for (const g of garbage) {
      const copy = structuredClone(value) as Record<string | number, unknown>;
      let node = copy;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      node[path[path.length - 1]!] = structuredClone(g);
      yield { path: path.join('.'), mutated: copy };
    }
  }
}
