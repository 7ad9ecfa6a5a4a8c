// Module hooks for a worker started from src/ (tests): Node 20 cannot run
// TypeScript, and vitest transforms only its own module graph, not a worker's.
// These transpile each .ts file with the project's own TypeScript (types are
// erased; nothing is type-checked) and map the './x.js' imports the sources
// use to the './x.ts' files that exist. Never used from dist/, whose workers
// are plain .js. Registered by module-worker.ts.
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** @type {typeof import('typescript')} */
let ts;

export async function initialize(data) {
  ts = (await import(pathToFileURL(data.typescript).href)).default;
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const fromTs = context.parentURL?.startsWith('file:') && context.parentURL.endsWith('.ts');
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && fromTs && specifier.startsWith('.') && specifier.endsWith('.js')) {
      return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
    }
    throw err;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const fileName = fileURLToPath(url);
  const { outputText } = ts.transpileModule(await readFile(fileName, 'utf8'), {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      inlineSourceMap: true,
    },
  });
  return { format: 'module', source: outputText, shortCircuit: true };
}
