#!/usr/bin/env node
// Runs the built CLI (dist/). `npm start` builds first; after a plain
// `npm ci`, run `npm run build` once to use this command directly.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('waystation: not built yet; run `npm run build` (or `npm start`) first\n');
  process.exit(1);
}
const { main } = await import(cli);
const code = await main(process.argv.slice(2));
// Exit explicitly: a worker's IPC channel (and any stray handle) would keep the process alive.
process.exit(code);
