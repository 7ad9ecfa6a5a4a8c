// `npm run bench`: builds the gateway and the bench, then runs bench/run.ts.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
for (const project of ['tsconfig.build.json', 'tsconfig.bench.json']) {
  execFileSync(process.execPath, [tsc, '-p', join(root, project)], { stdio: 'inherit', cwd: root });
}
execFileSync(process.execPath, [join(root, '.bench', 'run.js')], { stdio: 'inherit', cwd: root });
// Codecs: µs per decode/encode on the golden fixtures.
if (!process.env.BENCH_ONLY || 'codec'.includes(process.env.BENCH_ONLY)) {
  execFileSync(process.execPath, [join(root, '.bench', 'codecs.js')], { stdio: 'inherit', cwd: root });
}
// Usage logging: rows/s on SQLite, and what it adds to the event loop's p99.
if (!process.env.BENCH_ONLY || 'usage log'.includes(process.env.BENCH_ONLY)) {
  execFileSync(process.execPath, [join(root, '.bench', 'usage-log.js')], { stdio: 'inherit', cwd: root });
}
