// `npm start [-- options]`: builds when the sources are newer than the build,
// then runs `waystation serve` with the given options in this process.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.tsbuildinfo');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const built = existsSync(stamp) && existsSync(join(root, 'dist', 'cli.js'));
if (!built || newestMtime(join(root, 'src')) > statSync(stamp).mtimeMs) {
  process.stderr.write('waystation: building…\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
}

// The admin console (web/): rebuilt by Vite when its sources changed.
const web = join(root, 'web');
const webBuilt = join(web, 'dist', 'index.html');
if (existsSync(join(web, 'package.json'))) {
  const webSources = Math.max(newestMtime(join(web, 'src')), statSync(join(web, 'index.html')).mtimeMs);
  if (!existsSync(webBuilt) || webSources > statSync(webBuilt).mtimeMs) {
    process.stderr.write('waystation: building the admin console…\n');
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent', '-w', 'web'], { stdio: 'inherit', cwd: root });
  }
}

const { main } = await import(join(root, 'dist', 'cli.js'));
const args = process.argv.slice(2);
const code = await main(args[0] === 'serve' || args[0] === 'simulate' ? args : ['serve', ...args]);
// Exit explicitly: a worker's IPC channel (and any stray handle) would keep the process alive.
process.exit(code);
