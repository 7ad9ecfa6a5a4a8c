// Starts a worker_threads worker from a module file. From dist/ the file is
// .js and Node runs it as is. From src/ (vitest) it is .ts, which Node 20
// cannot run: a small bootstrap first registers ts-worker-hooks.mjs (transpile
// .ts with the project's TypeScript, map './x.js' imports to './x.ts'), then
// imports the entry. A failure to load surfaces as the worker's 'error' event.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';

// Runs as a CommonJS script (eval); its three arguments come last in argv.
const TS_BOOTSTRAP = `
const { register } = require('node:module');
const [hooks, typescript, entry] = process.argv.slice(-3);
register(hooks, { data: { typescript } });
import(entry).catch((err) => setImmediate(() => { throw err; }));
`;

/** The module `name` (without extension) next to `here`, with `here`'s extension (.js or .ts). */
export function siblingModule(here: string, name: string): URL {
  const ext = /\.[cm]?[jt]s$/.exec(new URL(here).pathname)?.[0] ?? '.js';
  return new URL(`./${name}${ext}`, here);
}

export function startModuleWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  // Resolved here, where the project's node_modules is in reach, not in the hooks.
  const typescript = createRequire(entry).resolve('typescript');
  const hooks = new URL('./ts-worker-hooks.mjs', import.meta.url).href;
  return new Worker(TS_BOOTSTRAP, { ...options, eval: true, argv: [...(options.argv ?? []), hooks, typescript, entry.href] });
}
